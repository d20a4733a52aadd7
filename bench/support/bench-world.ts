import { OAuth2Client } from 'google-auth-library';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { generateKey, writeKeyFileAtomically } from '../../src/crypto/key-file';
import { DatabaseService } from '../../src/database/database.service';
import { CalendarType, ClientCalendar, OAuthToken, Organization, User } from '../../src/database/entities';
import { GoogleAccountsService } from '../../src/google/google-accounts.service';
import { JobRunner } from '../../src/jobs/job-runner.service';
import { SyncService } from '../../src/sync/sync.service';
import { WebhookService } from '../../src/webhooks/webhook.service';
import { RunningProduct, startProduct } from '../../test/support/product';
import { EmulatorHandle } from '../emulator/handle';

const CLIENT_ID = 'bench-client.apps.googleusercontent.com';
const CLIENT_SECRET = 'bench-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/auth/callback';
const SCOPE = 'openid email profile https://www.googleapis.com/auth/calendar';
export const HOME = 'home.example';

/** One consultant: the main calendar and the client calendars (Google ids and row ids). */
export interface BenchUser {
  user: User;
  home: string;
  main: ClientCalendar;
  clients: Array<{ account: string; row: ClientCalendar }>;
}

/**
 * The real product (in this process) against an emulator (ideally in another process), with users,
 * tokens and calendars seeded straight into the database: tokens come from the emulator's real OAuth,
 * so refreshes behave as in production. Scale seeding skips the connect flows, which have their own tests.
 */
export class BenchWorld {
  private constructor(
    readonly emulator: EmulatorHandle,
    readonly product: RunningProduct,
  ) {}

  static async start(emulator: EmulatorHandle, env: Record<string, string> = {}): Promise<BenchWorld> {
    await emulator.control.seed({
      domains: [HOME],
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }],
    });
    const product = await startProduct({ GOOGLE_BASE_URL: emulator.url, ...env });
    const world = new BenchWorld(emulator, product);
    const key = generateKey();
    await writeKeyFileAtomically(product.config.encryptionKeyFile, key);
    const enc = product.app.get(EncryptionService);
    enc.useKey(key);
    await world.db.write(async (m) => {
      await m.getRepository(Organization).insert({
        googleWorkspaceDomain: HOME,
        googleClientIdEncrypted: enc.encrypt(CLIENT_ID),
        googleClientSecretEncrypted: enc.encrypt(CLIENT_SECRET),
      });
    });
    // Backoff in seconds would dominate the figures whenever the emulator's rate limit bites; keep it short but real.
    product.app.get(GoogleAccountsService).setRetryOptions({ attempts: 6, baseDelayMs: 50, maxDelayMs: 2000 });
    return world;
  }

  get sync(): SyncService {
    return this.product.app.get(SyncService);
  }

  get webhooks(): WebhookService {
    return this.product.app.get(WebhookService);
  }

  get jobs(): JobRunner {
    return this.product.app.get(JobRunner);
  }

  get db(): DatabaseService {
    return this.product.app.get(DatabaseService);
  }

  /**
   * A consultant `name` with a home account and `clientCount` client accounts (one calendar each, in its
   * own client domain), all connected. Accounts are created in the emulator first.
   */
  async addConsultant(name: string, clientCount: number): Promise<BenchUser> {
    const home = `${name}@${HOME}`;
    const clientAccounts = Array.from({ length: clientCount }, (_, i) => `${name}@client${i + 1}.example`);
    await this.emulator.control.seed({
      domains: clientAccounts.map((a) => a.split('@')[1]),
      accounts: [{ email: home }, ...clientAccounts.map((email) => ({ email }))],
    });
    const user = await this.db.write((m) =>
      m.getRepository(User).save({ email: home, googleUserId: `sub-${home}`, displayName: name, mainCalendarId: home }),
    );
    const main = await this.connect(user, home, 'main');
    const clients: BenchUser['clients'] = [];
    for (const account of clientAccounts) clients.push({ account, row: await this.connect(user, account, 'client') });
    return { user, home, main, clients };
  }

  /** Connects `account`'s primary calendar for `user` (its own token, from the emulator's OAuth). */
  async connect(user: User, account: string, type: CalendarType): Promise<ClientCalendar> {
    const token = await this.token(user, account, type === 'main' ? 'home' : type);
    return this.db.write((m) =>
      m.getRepository(ClientCalendar).save({
        userId: user.id,
        oauthTokenId: token.id,
        googleCalendarId: account,
        displayName: account,
        calendarType: type,
        accessRole: 'owner',
        isActive: true,
      }),
    );
  }

  /** A push channel for every calendar of the user, as the connect flow opens them. */
  async watchAll(u: BenchUser): Promise<void> {
    for (const row of [u.main, ...u.clients.map((c) => c.row)]) await this.webhooks.registerFor(row.id);
  }

  async close(): Promise<void> {
    await this.product.close();
  }

  private async token(user: User, account: string, type: OAuthToken['accountType']): Promise<OAuthToken> {
    const base = this.emulator.url;
    const client = new OAuth2Client({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      transporterOptions: { fetchImplementation: fetch },
      endpoints: { oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`, oauth2TokenUrl: `${base}/token` },
    });
    const url = client.generateAuthUrl({
      scope: SCOPE,
      access_type: 'offline',
      prompt: 'consent',
      state: 'bench',
      login_hint: account,
    });
    const res = await fetch(url, { redirect: 'manual' });
    const code = res.status === 302 ? new URL(res.headers.get('location') as string).searchParams.get('code') : null;
    if (!code) throw new Error(`emulator authorize for ${account} answered ${res.status}`);
    const { tokens } = await client.getToken(code);
    const enc = this.product.app.get(EncryptionService);
    return this.db.write((m) =>
      m.getRepository(OAuthToken).save({
        userId: user.id,
        accountType: type,
        googleAccountEmail: account,
        googleSubject: null,
        accessTokenEncrypted: enc.encrypt(tokens.access_token as string),
        refreshTokenEncrypted: enc.encrypt(tokens.refresh_token as string),
        tokenExpiry: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
        scopes: String(tokens.scope ?? ''),
      }),
    );
  }
}

/** An hour-long timed event `daysAhead` days from now (whole hours, UTC). */
export function futureEvent(summary: string, daysAhead: number, hour = 10): Record<string, unknown> {
  const start = new Date();
  start.setUTCHours(hour, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() + daysAhead);
  const end = new Date(start.getTime() + 3600_000);
  return { summary, start: { dateTime: start.toISOString() }, end: { dateTime: end.toISOString() } };
}
