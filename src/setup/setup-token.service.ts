import { HttpException, HttpStatus, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OrganizationRepository } from '../database/repositories/organization.repository';

export const SETUP_TOKEN_FILE = 'setup-token';
export const MAX_WRONG_TRIES = 10;
export const LOCKOUT_MS = 15 * 60_000;
// Bounds memory when wrong tokens come from many addresses; the oldest address is forgotten first.
const MAX_ADDRESSES = 10_000;

/** A wrong setup token (403) or the lockout (429): shown on the welcome page, unlike other refusals. */
export class SetupTokenRefusal extends HttpException {}

interface Tries {
  wrong: number;
  lockedUntil: number;
}

/**
 * The one-time token that opens the wizard, so that whoever merely reaches the address first cannot take the
 * instance over: SETUP_TOKEN, else a random one made at start (and again after a factory reset), logged as
 * `Setup token: <token>` and written to `setup-token` (0600) beside the database for the operator.
 */
@Injectable()
export class SetupTokenService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Setup');
  private token: string | null = null;
  private readonly tries = new Map<string, Tries>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organizations: OrganizationRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.organizations.exists())) await this.renew();
  }

  /** A token for the next run of the wizard (start, factory reset). */
  async renew(): Promise<void> {
    this.token = this.config.setupToken ?? randomBytes(24).toString('base64url');
    this.tries.clear();
    const file = this.file();
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.rm(file, { force: true });
    await fs.writeFile(file, `${this.token}\n`, { mode: 0o600 });
    // Deliberately logged, as a warning so that LOG_LEVEL=warning still shows it: the operator reads it from the
    // log when they cannot reach the file.
    this.logger.warn(`Setup token: ${this.token}`);
  }

  /** Setup is complete: the token has done its work and its file goes. */
  async retire(): Promise<void> {
    this.token = null;
    this.tries.clear();
    await fs.rm(this.file(), { force: true });
  }

  /** Step 1: the right token opens the wizard; 10 wrong ones from one address lock it out for 15 minutes. */
  check(presented: unknown, address: string, now = Date.now()): void {
    const tries = this.tries.get(address);
    if (tries && tries.lockedUntil > now) {
      throw new SetupTokenRefusal(
        'Too many wrong setup tokens from this address: wait 15 minutes and try again',
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (this.matches(presented)) {
      this.tries.delete(address);
      return;
    }
    const wrong = (tries && tries.lockedUntil === 0 ? tries.wrong : 0) + 1;
    this.tries.delete(address);
    this.tries.set(address, { wrong, lockedUntil: wrong >= MAX_WRONG_TRIES ? now + LOCKOUT_MS : 0 });
    while (this.tries.size > MAX_ADDRESSES) this.tries.delete(this.tries.keys().next().value as string);
    this.logger.warn(`A wrong setup token was entered (${wrong} from this address)`);
    throw new SetupTokenRefusal(
      `Wrong setup token. It is in the log ("Setup token: ...") and in the file ${SETUP_TOKEN_FILE} beside the database.`,
      HttpStatus.FORBIDDEN,
    );
  }

  private matches(presented: unknown): boolean {
    if (!this.token || typeof presented !== 'string') return false;
    const a = Buffer.from(presented.trim());
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private file(): string {
    return path.join(path.dirname(this.config.databasePath), SETUP_TOKEN_FILE);
  }
}
