import { FastifyReply, FastifyRequest } from 'fastify';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE, SessionService } from '../../src/auth/session.service';
import { DatabaseService } from '../../src/database/database.service';
import { ClientCalendar, OAuthToken, User } from '../../src/database/entities';
import { UserRepository } from '../../src/database/repositories/user.repository';
import { JobsScheduler } from '../../src/jobs/jobs.scheduler';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { HOME_DOMAIN, WORLD } from '../calendars/world';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { connectAccount, connectedAccountId, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';

export { HOME_DOMAIN };

/** Every route the running app serves, as `METHOD /path` (HEAD, which Fastify adds to each GET, left out). */
export function listRoutes(app: NestFastifyApplication): string[] {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const tree = fastify.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    if (!line.trim()) continue;
    const i = line.indexOf('── ');
    const depth = i < 0 ? 0 : (i - 1) / 4;
    const m = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(i < 0 ? line.trim() : line.slice(i + 3)) as RegExpExecArray;
    stack.length = depth;
    const full = depth === 0 ? m[1] : stack[depth - 1] + m[1];
    stack[depth] = full;
    for (const method of (m[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (method !== 'HEAD') routes.push(`${method} ${full.startsWith('/') ? full : `/${full}`}`);
    }
  }
  return [...new Set(routes)].sort();
}

/** Every row of every table, in a stable order: "nothing changed" is `dump() === before`. */
export async function dumpDatabase(ds: DataSource): Promise<string> {
  const tables: Array<{ name: string }> = await ds.query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows: unknown[] = await ds.query(`SELECT * FROM "${name}"`);
    out[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(out);
}

/** The tables whose rows differ between two dumps (for readable failures). */
export function changedTables(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, string[]>;
  const b = JSON.parse(after) as Record<string, string[]>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (t) => JSON.stringify(a[t]) !== JSON.stringify(b[t]),
  );
}

/** A session cookie for `user`, issued by the product's own SessionService (as sign-in does). */
export async function sessionCookie(app: NestFastifyApplication, user: Pick<User, 'id'>): Promise<string> {
  const fresh = await app.get(UserRepository).findById(user.id);
  if (!fresh) throw new Error(`no user ${user.id}`);
  let cookie = '';
  const reply = {
    setCookie: (name: string, value: string) => {
      if (name.endsWith(SESSION_COOKIE)) cookie = `${name}=${value}`;
    },
  } as unknown as FastifyReply;
  await app.get(SessionService).issue(reply, { protocol: 'http' } as unknown as FastifyRequest, fresh);
  return cookie;
}

export interface Resources {
  account: number;
  personalAccount: number;
  client: number;
  personal: number;
}

/**
 * The product against the emulator with three home users, made as sign-in makes them: Ann (user) and Ben
 * (another user), each with a client and a personal account connected over HTTP and one calendar of each,
 * and Ada (admin). Scheduled jobs are stopped so that nothing but the request under test writes.
 */
export class SecurityWorld {
  ann!: User;
  ben!: User;
  ada!: User;
  readonly res: { ann: Resources; ben: Resources } = { ann: {} as Resources, ben: {} as Resources };

  private constructor(
    readonly fake: FakeGoogle,
    readonly product: RunningProduct,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<SecurityWorld> {
    const fake = await startFakeGoogle();
    const product = await startProduct({ GOOGLE_BASE_URL: fake.url, SYNC_POLL_SECONDS: '86400', ...env });
    const world = new SecurityWorld(fake, product);
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    fake.control.seed({
      accounts: [{ email: `ada@${HOME_DOMAIN}`, name: 'Ada Admin' }],
      calendars: [
        { id: 'initech-ops@group.initech.example', summary: 'Initech ops', owner: 'ben@initech.example' },
        // One more writable calendar per client account, for the picker's form (POST /app/connect).
        { id: 'acme-planning@group.acme.example', summary: 'Acme planning', owner: 'ann@acme.example' },
        { id: 'initech-plans@group.initech.example', summary: 'Initech plans', owner: 'ben@initech.example' },
        { id: 'ann-family@group.gmail.example', summary: 'Ann family', owner: 'ann.personal@gmail.example' },
        { id: 'ben-family@group.gmail.example', summary: 'Ben family', owner: 'ben.personal@gmail.example' },
      ],
    });
    await product.app.get(JobsScheduler).onModuleDestroy();
    world.ann = (await signInHomeUser(product, `ann@${HOME_DOMAIN}`)).user;
    world.ben = (await signInHomeUser(product, `ben@${HOME_DOMAIN}`)).user;
    world.ada = (await signInHomeUser(product, `ada@${HOME_DOMAIN}`)).user;
    await product.app.get(UserRepository).update(world.ada.id, { isAdmin: true });
    world.ada.isAdmin = true;
    await world.connect(world.ann, 'ann', 'ann@acme.example', 'ann.personal@gmail.example');
    await world.connect(world.ben, 'ben', 'ben@initech.example', 'ben.personal@gmail.example');
    await world.idle();
    return world;
  }

  get app(): NestFastifyApplication {
    return this.product.app;
  }

  get ds(): DataSource {
    return this.app.get(DataSource);
  }

  async session(user: User | null): Promise<HttpSession> {
    return new HttpSession(this.product.url, user ? await sessionCookie(this.app, user) : undefined);
  }

  dump(): Promise<string> {
    return dumpDatabase(this.ds);
  }

  async idle(): Promise<void> {
    await this.app.get(SyncService).onIdle();
  }

  private async connect(user: User, who: 'ann' | 'ben', client: string, personal: string): Promise<void> {
    const session = await this.session(user);
    for (const [route, email, type] of [
      ['/auth/connect-client', client, 'client'],
      ['/auth/connect-personal', personal, 'personal'],
    ] as const) {
      const done = await connectAccount(session, route, email);
      const account = connectedAccountId(done);
      if (!account) throw new Error(`connecting ${email} ended at ${done.status} ${done.headers.get('location')}`);
      const row = await session.json<{ id: number }>('POST', `/api/${type}-calendars`, {
        accountId: account,
        calendarId: email,
      });
      if (row.status !== 201)
        throw new Error(`POST /api/${type}-calendars answered ${row.status} ${JSON.stringify(row.body)}`);
      if (type === 'client') Object.assign(this.res[who], { account, client: row.body.id });
      else Object.assign(this.res[who], { personalAccount: account, personal: row.body.id });
    }
  }

  /** A new active calendar row of `who`'s account (for requests that delete or disconnect one). */
  async freshCalendar(who: 'ann' | 'ben', type: 'client' | 'personal'): Promise<number> {
    const token = await this.ds
      .getRepository(OAuthToken)
      .findOneByOrFail({ id: type === 'client' ? this.res[who].account : this.res[who].personalAccount });
    const row = await this.app.get(DatabaseService).write((m) =>
      m.getRepository(ClientCalendar).save({
        userId: token.userId,
        oauthTokenId: token.id,
        googleCalendarId: token.googleAccountEmail,
        displayName: `fresh ${type}`,
        calendarType: type,
        accessRole: 'owner',
        isActive: true,
      }),
    );
    return row.id;
  }

  /** Re-creates the standard calendars of Ann and Ben when a request disconnected them. */
  async restoreCalendars(): Promise<void> {
    for (const who of ['ann', 'ben'] as const) {
      for (const type of ['client', 'personal'] as const) {
        const row = await this.ds.getRepository(ClientCalendar).findOneBy({ id: this.res[who][type] });
        if (!row || !row.isActive) this.res[who][type] = await this.freshCalendar(who, type);
      }
    }
  }

  /** A home user with no calendars, made directly (for admin actions that remove or re-authenticate one). */
  async freshUser(tag: string): Promise<User> {
    return this.app.get(DatabaseService).write((m) =>
      m.getRepository(User).save({
        email: `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@${HOME_DOMAIN}`,
        googleUserId: `sub-${tag}-${Date.now()}-${Math.random()}`,
        displayName: tag,
      }),
    );
  }

  async close(): Promise<void> {
    await this.idle().catch(() => undefined);
    await this.product.close();
    await this.fake.close();
  }
}
