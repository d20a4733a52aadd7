import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SESSION_COOKIE, SessionService } from '../../src/auth/session.service';
import { DatabaseService } from '../../src/database/database.service';
import { ClientCalendar, OAuthToken, SyncLog, User } from '../../src/database/entities';
import { openDatabase } from '../../src/database/open-database';
import { UserRepository } from '../../src/database/repositories/user.repository';
import { GoogleOAuthService } from '../../src/google/google-oauth.service';
import { SettingsService } from '../../src/settings/settings.service';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { HOME_DOMAIN, WORLD } from '../calendars/world';
import { prepareOrganization, signInHomeUser, TEST_CLIENT_SECRET } from '../support/calendar-session';
import { connectCalendar, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';

type Route = [method: string, path: string, body?: unknown];

/** Every admin route of API.md; ids point at real rows so a leak past the guard would act on something. */
function adminRoutes(userId: number, calendarId: number): Route[] {
  return [
    ['GET', '/api/admin/health'],
    ['GET', '/api/admin/users'],
    ['GET', `/api/admin/users/${userId}`],
    ['POST', `/api/admin/users/${userId}/sync`],
    ['POST', `/api/admin/users/${userId}/force-reauth`],
    ['DELETE', `/api/admin/users/${userId}`],
    ['PUT', `/api/admin/users/${userId}/admin`, { isAdmin: true }],
    ['POST', `/api/admin/users/${userId}/calendars/${calendarId}/disconnect`],
    ['GET', '/api/admin/logs'],
    ['POST', '/api/admin/sync/pause'],
    ['POST', '/api/admin/sync/resume'],
    ['POST', '/api/admin/cleanup'],
    ['GET', '/api/admin/settings'],
    ['PUT', '/api/admin/settings', { smtpHost: 'evil.example' }],
    ['POST', '/api/admin/settings/test-email', {}],
    ['POST', '/api/admin/factory-reset', { confirm: 'RESET' }],
    ['GET', '/api/admin/export'],
  ];
}

/**
 * The admin API against the real product and the Google emulator: Ann is the admin, Ben a user with one
 * client calendar. Access control for every route, then each capability, ending with the factory reset.
 */
describe('admin API', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let smtp: SmtpSink;
  let ann: HttpSession;
  let ben: HttpSession;
  let annUser: User;
  let benUser: User;
  let benCalendar: number;
  const anonymous = () => new HttpSession(product.url);
  const db = () => product.app.get(DatabaseService).reader;

  beforeAll(async () => {
    fake = await startFakeGoogle();
    smtp = await startSmtpSink();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    const a = await signInHomeUser(product, 'ann@home.example');
    await product.app.get(UserRepository).update(a.user.id, { isAdmin: true });
    annUser = a.user;
    ann = new HttpSession(product.url, a.cookie);
    const b = await signInHomeUser(product, 'ben@home.example');
    benUser = b.user;
    ben = new HttpSession(product.url, b.cookie);
    const row = await connectCalendar(ben, 'client', 'ben@initech.example', 'ben@initech.example');
    expect([row.status, JSON.stringify(row.body)]).toEqual([201, expect.anything()]);
    benCalendar = row.body.id;
    await product.app.get(SyncService).onIdle();
  });
  afterAll(async () => {
    await product?.app.get(SyncService).onIdle();
    await product?.close();
    await fake?.close();
    await smtp?.close();
  });

  it('answers 401 to anonymous callers and 403 to signed-in users on every admin route, changing nothing', async () => {
    const before = await db()
      .getRepository(User)
      .find({ order: { id: 'ASC' } });
    for (const [method, url, body] of adminRoutes(benUser.id, benCalendar)) {
      expect([method, url, (await anonymous().json(method, url, body)).status]).toEqual([method, url, 401]);
      const denied = await ben.json<{ error: string }>(method, url, body);
      expect([method, url, denied.status]).toEqual([method, url, 403]);
      expect(denied.body.error).toMatch(/administrators only/i);
    }
    expect(
      await db()
        .getRepository(User)
        .find({ order: { id: 'ASC' } }),
    ).toEqual(before);
    expect(await product.app.get(SettingsService).isSyncPaused()).toBe(false);
    expect((await db().getRepository(ClientCalendar).findOneByOrFail({ id: benCalendar })).isActive).toBe(true);
    expect(await db().getRepository(OAuthToken).countBy({ needsReauth: true })).toBe(0);
    expect((await ann.json('GET', '/api/admin/health')).status).toBe(200);
  });

  it('reports system health: users, calendars, events synced, error rate, webhooks, alerts, pause', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a free-form JSON body, checked field by field below
    const { status, body } = await ann.json<Record<string, any>>('GET', '/api/admin/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      paused: false,
      users: 2,
      admins: 1,
      calendars: { main: 2, client: 1, personal: 0, total: 3 },
    });
    expect(body.errorRate).toMatchObject({ window: '24h', failures: 0, rate: 0 });
    expect(body.errorRate.runs).toBeGreaterThan(0);
    expect(body.eventsSynced).toEqual({ mainCopies: expect.any(Number), busyBlocks: expect.any(Number) });
    expect(body.webhooks).toEqual(
      expect.objectContaining({ active: expect.any(Number), expired: 0, healthy: expect.any(Boolean) }),
    );
    expect(Array.isArray(body.recentAlerts)).toBe(true);
  });

  it('lists users with search and filters, and shows one user with calendars and sync log', async () => {
    const all = await ann.json<Array<Record<string, unknown>>>('GET', '/api/admin/users');
    expect(all.body.map((u) => u.email)).toEqual(['ann@home.example', 'ben@home.example']);
    expect(all.body[1]).toEqual({
      id: benUser.id,
      email: 'ben@home.example',
      displayName: expect.anything(),
      isAdmin: false,
      lastLoginAt: null,
      createdAt: expect.any(String),
      calendarCount: 1,
      syncStatus: 'ok',
    });
    expect(
      (await ann.json<Array<{ email: string }>>('GET', '/api/admin/users?search=BEN')).body.map((u) => u.email),
    ).toEqual(['ben@home.example']);
    expect(
      (await ann.json<Array<{ email: string }>>('GET', '/api/admin/users?admin=true')).body.map((u) => u.email),
    ).toEqual(['ann@home.example']);
    expect((await ann.json<unknown[]>('GET', '/api/admin/users?status=error')).body).toEqual([]);
    expect((await ann.json<unknown[]>('GET', '/api/admin/users?search=%25')).body).toEqual([]);
    expect((await ann.json('GET', '/api/admin/users?admin=maybe')).status).toBe(400);
    expect((await ann.json('GET', '/api/admin/users?status=purple')).status).toBe(400);

    const detail = await ann.json<{
      user: { email: string };
      calendars: Array<{ id: number; type: string; accountEmail: string }>;
      recentLog: Array<{ action: string; calendarId: number }>;
    }>('GET', `/api/admin/users/${benUser.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.user.email).toBe('ben@home.example');
    expect(detail.body.calendars.map((c) => [c.type, c.accountEmail])).toEqual([
      ['main', 'ben@home.example'],
      ['client', 'ben@initech.example'],
    ]);
    expect(detail.body.recentLog.some((l) => l.calendarId === benCalendar && /sync/.test(l.action))).toBe(true);
    expect((await ann.json('GET', '/api/admin/users/999999')).status).toBe(404);
    expect((await ann.json('GET', '/api/admin/users/abc')).status).toBe(400);
  });

  it('syncs a user now and filters the system logs by user, calendar, action, status and dates', async () => {
    const before = await db().getRepository(SyncLog).countBy({ userId: benUser.id, action: 'sync' });
    const queued = await ann.json<{ queued: number }>('POST', `/api/admin/users/${benUser.id}/sync`);
    expect(queued).toEqual({ status: 202, body: { queued: 2 } });
    await product.app.get(SyncService).onIdle();
    expect(await db().getRepository(SyncLog).countBy({ userId: benUser.id, action: 'sync' })).toBeGreaterThanOrEqual(
      before + 2,
    );

    const logs = await ann.json<{ items: Array<Record<string, unknown>>; total: number; page: number; pages: number }>(
      'GET',
      `/api/admin/logs?userId=${benUser.id}&calendarId=${benCalendar}&status=success&action=sync`,
    );
    expect(logs.status).toBe(200);
    expect(logs.body.items.length).toBeGreaterThan(0);
    for (const item of logs.body.items)
      expect(item).toMatchObject({
        userId: benUser.id,
        userEmail: 'ben@home.example',
        calendarId: benCalendar,
        action: 'sync',
        status: 'success',
      });
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await ann.json<{ total: number }>('GET', `/api/admin/logs?from=${today}&to=${today}`)).body.total,
    ).toBeGreaterThan(0);
    expect((await ann.json<{ total: number }>('GET', '/api/admin/logs?to=2000-01-01')).body.total).toBe(0);
    const paged = await ann.json<{ items: unknown[]; page: number; pageSize: number }>(
      'GET',
      '/api/admin/logs?page=2&pageSize=1',
    );
    expect(paged.body).toMatchObject({ page: 2, pageSize: 1 });
    expect(paged.body.items).toHaveLength(1);
    for (const bad of [
      'page=0',
      'page=x',
      'status=exploded',
      'from=yesterday',
      'userId=-1',
      'action=DROP%20TABLE',
      'from=2026-02-01&to=2026-01-01',
      'nope=1',
    ]) {
      const res = await ann.json<{ error: string }>('GET', `/api/admin/logs?${bad}`);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.body.error).toBeTruthy();
    }
  });

  it('never returns secrets, re-validates OAuth credentials with Google before saving, and sends a test email', async () => {
    const smtpSettings = {
      smtpHost: '127.0.0.1',
      smtpPort: smtp.port,
      smtpSecurity: 'none',
      smtpUsername: 'mailer',
      smtpPassword: 'smtp-canary-password',
      smtpFromAddress: 'busybridge@home.example',
      alertEmails: 'ops@home.example, it@home.example',
      alertsEnabled: true,
    };
    const saved = await ann.json<Record<string, unknown>>('PUT', '/api/admin/settings', smtpSettings);
    expect(saved.status).toBe(200);
    const got = await ann.request('GET', '/api/admin/settings');
    const text = await got.text();
    expect(text).not.toContain('smtp-canary-password');
    expect(text).not.toContain(TEST_CLIENT_SECRET);
    expect(JSON.parse(text)).toMatchObject({
      domain: HOME_DOMAIN,
      smtpHost: '127.0.0.1',
      smtpPort: smtp.port,
      smtpPasswordSet: true,
      googleClientSecretSet: true,
      alertEmails: 'ops@home.example, it@home.example',
      alertsConfigured: true,
    });

    const oauth = product.app.get(GoogleOAuthService);
    const rejected = await ann.json<{ error: string }>('PUT', '/api/admin/settings', {
      googleClientSecret: 'not-the-secret',
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error).toMatch(/invalid_client/);
    expect((await oauth.credentials()).clientSecret).toBe(TEST_CLIENT_SECRET);
    fake.control.seed({
      clients: [{ clientId: 'rotated.apps.googleusercontent.com', clientSecret: 'rotated-secret' }],
    });
    const rotated = await ann.json<{ googleClientId: string }>('PUT', '/api/admin/settings', {
      googleClientId: 'rotated.apps.googleusercontent.com',
      googleClientSecret: 'rotated-secret',
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.googleClientId).toBe('rotated.apps.googleusercontent.com');
    expect(await oauth.credentials()).toEqual({
      clientId: 'rotated.apps.googleusercontent.com',
      clientSecret: 'rotated-secret',
    });

    for (const bad of [
      { smtpPort: 70000 },
      { smtpHost: 'a b' },
      { alertEmails: 'not an email' },
      { alertsEnabled: 'yes' },
      { unknown: 1 },
    ]) {
      expect([bad, (await ann.json('PUT', '/api/admin/settings', bad)).status]).toEqual([bad, 400]);
    }
    const sent = await ann.json<{ ok: boolean; sentTo: string }>('POST', '/api/admin/settings/test-email', {});
    expect(sent).toEqual({ status: 200, body: { ok: true, sentTo: 'ann@home.example' } });
    expect((await smtp.waitFor(1))[0].to).toEqual(['ann@home.example']);
    // Another port takes the password again (the stored one goes only to the server it was entered for).
    const refused = await ann.json<{ error: string }>('POST', '/api/admin/settings/test-email', {
      smtpHost: '127.0.0.1',
      smtpPort: 1,
      smtpPassword: 'smtp-canary-password',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/could not be sent/);
  });

  it('pauses and resumes sync globally, and runs the retention cleanup now', async () => {
    const settings = product.app.get(SettingsService);
    expect(await ann.json('POST', '/api/admin/sync/pause')).toEqual({ status: 200, body: { paused: true } });
    expect(await settings.isSyncPaused()).toBe(true);
    expect((await ann.json<{ paused: boolean; status: string }>('GET', '/api/admin/health')).body).toMatchObject({
      paused: true,
      status: 'paused',
    });
    expect(await ann.json('POST', '/api/admin/sync/resume')).toEqual({ status: 200, body: { paused: false } });
    expect(await settings.isSyncPaused()).toBe(false);
    const cleanup = await ann.json<{ ok: boolean; deleted: Record<string, number> }>('POST', '/api/admin/cleanup');
    expect(cleanup.status).toBe(200);
    expect(cleanup.body.ok).toBe(true);
    expect(Object.values(cleanup.body.deleted).every((n) => typeof n === 'number')).toBe(true);
  });

  it('promotes and demotes; demotion ends sessions; the last admin cannot be demoted', async () => {
    expect(
      (await ann.json<{ isAdmin: boolean }>('PUT', `/api/admin/users/${benUser.id}/admin`, { isAdmin: true })).body
        .isAdmin,
    ).toBe(true);
    expect((await ben.json('GET', '/api/admin/health')).status).toBe(200);
    expect(
      (await ann.json<{ isAdmin: boolean }>('PUT', `/api/admin/users/${benUser.id}/admin`, { isAdmin: false })).body
        .isAdmin,
    ).toBe(false);
    expect((await ben.json('GET', '/api/me')).status).toBe(401);
    const last = await ann.json<{ error: string }>('PUT', `/api/admin/users/${annUser.id}/admin`, { isAdmin: false });
    expect(last.status).toBe(400);
    expect(last.body.error).toMatch(/last administrator/);
    expect((await db().getRepository(User).findOneByOrFail({ id: annUser.id })).isAdmin).toBe(true);
    expect((await ann.json('PUT', `/api/admin/users/${benUser.id}/admin`, { isAdmin: 'yes' })).status).toBe(400);
    expect((await ann.json('PUT', '/api/admin/users/424242/admin', { isAdmin: true })).status).toBe(404);
  });

  it('exports a consistent SQLite backup that restores into a working database', async () => {
    const tmpBefore = (await fs.readdir(os.tmpdir())).filter((f) => f.startsWith('busybridge-export-')).length;
    const res = await ann.request('GET', '/api/admin/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.sqlite3');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="busybridge-\d{8}-\d{6}\.db"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-restore-'));
    const file = path.join(dir, 'restored.db');
    await fs.writeFile(file, bytes);
    const restored = await openDatabase(file);
    try {
      expect((await restored.getRepository(User).find({ order: { id: 'ASC' } })).map((u) => u.email)).toEqual([
        'ann@home.example',
        'ben@home.example',
      ]);
      expect(await restored.getRepository(ClientCalendar).countBy({ userId: benUser.id, calendarType: 'client' })).toBe(
        1,
      );
      expect(await restored.getRepository(SyncLog).count()).toBeGreaterThan(0);
      await restored.getRepository(SyncLog).insert({ action: 'restore_check', status: 'success' });
      expect(await restored.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      await restored.destroy();
      await fs.rm(dir, { recursive: true, force: true });
    }
    const tmpAfter = (await fs.readdir(os.tmpdir())).filter((f) => f.startsWith('busybridge-export-')).length;
    expect(tmpAfter).toBeLessThanOrEqual(tmpBefore);
  });

  it('disconnects a calendar on behalf of a user, forces re-authentication and removes the user', async () => {
    const otherUsersCalendar = await db()
      .getRepository(ClientCalendar)
      .findOneByOrFail({ userId: annUser.id, calendarType: 'main' });
    expect(
      (await ann.json('POST', `/api/admin/users/${benUser.id}/calendars/${otherUsersCalendar.id}/disconnect`)).status,
    ).toBe(404);
    const mainOfBen = await db()
      .getRepository(ClientCalendar)
      .findOneByOrFail({ userId: benUser.id, calendarType: 'main' });
    expect((await ann.json('POST', `/api/admin/users/${benUser.id}/calendars/${mainOfBen.id}/disconnect`)).status).toBe(
      400,
    );
    const off = await ann.json<{ id: number; isActive: boolean }>(
      'POST',
      `/api/admin/users/${benUser.id}/calendars/${benCalendar}/disconnect`,
    );
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: benCalendar, isActive: false });

    const fresh = await signInAgain('ben@home.example');
    expect((await fresh.json('GET', '/api/me')).status).toBe(200);
    const reauth = await ann.json<{ ok: boolean; accounts: number }>(
      'POST',
      `/api/admin/users/${benUser.id}/force-reauth`,
    );
    expect(reauth.status).toBe(200);
    expect(reauth.body.accounts).toBeGreaterThan(0);
    expect(await db().getRepository(OAuthToken).countBy({ userId: benUser.id, needsReauth: false })).toBe(0);
    expect((await fresh.json('GET', '/api/me')).status).toBe(401);

    expect((await ann.json<{ error: string }>('DELETE', `/api/admin/users/${annUser.id}`)).status).toBe(400);
    const removed = await ann.json<{ deleted: boolean; email: string }>('DELETE', `/api/admin/users/${benUser.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ deleted: true, email: 'ben@home.example' });
    expect(await db().getRepository(User).countBy({ id: benUser.id })).toBe(0);
    for (const entity of [ClientCalendar, OAuthToken, SyncLog])
      expect(await db().getRepository(entity).countBy({ userId: benUser.id })).toBe(0);
    expect((await ann.json<Array<{ email: string }>>('GET', '/api/admin/users')).body.map((u) => u.email)).toEqual([
      'ann@home.example',
    ]);
    expect((await ann.json('DELETE', `/api/admin/users/${benUser.id}`)).status).toBe(404);
  });

  it('factory reset needs the word RESET, then deletes everything and sends / to the wizard', async () => {
    for (const body of [{}, { confirm: 'reset' }, { confirm: true }, { confirm: 'RESET ' }]) {
      const res = await ann.json<{ error: string }>('POST', '/api/admin/factory-reset', body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect(await db().getRepository(User).count()).toBe(1);
    const res = await ann.request(
      'POST',
      '/api/admin/factory-reset',
      { confirm: 'RESET' },
      { accept: 'application/json' },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, next: '/setup' });
    expect(res.headers.getSetCookie().some((c) => /^bb_session=;/.test(c))).toBe(true);
    expect(await db().getRepository(User).count()).toBe(0);
    expect(existsSync(product.config.encryptionKeyFile)).toBe(false);
    const root = await anonymous().get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/setup');
  });

  /** A new session for a user (signInHomeUser would create the user again). */
  async function signInAgain(email: string): Promise<HttpSession> {
    const user = await db().getRepository(User).findOneByOrFail({ email });
    let cookie = '';
    const reply = {
      setCookie: (name: string, value: string) => {
        if (name === SESSION_COOKIE) cookie = `${name}=${value}`;
      },
    };
    await product.app.get(SessionService).issue(reply as never, { protocol: 'http' } as never, user);
    return new HttpSession(product.url, cookie);
  }
});
