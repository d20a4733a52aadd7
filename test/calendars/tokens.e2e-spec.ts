import { EncryptionService } from '../../src/crypto/encryption.service';
import { DatabaseService } from '../../src/database/database.service';
import { AlertQueueItem, OAuthToken } from '../../src/database/entities';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/calendar-session';
import { connectAccount, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { CalendarRow, HOME_DOMAIN, WORLD } from './world';

/** Access-token refresh, invalid_grant, reconnect and the connect flow's state, against the emulator. */
describe('connected accounts: tokens, revocation, reconnect, state', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ann: HttpSession;
  let ben: HttpSession;
  let acme: number;
  let globex: number;
  let rows: CalendarRow[];

  const db = () => product.app.get(DatabaseService);
  const tokenRow = (id: number) => db().reader.getRepository(OAuthToken).findOneByOrFail({ id });
  const rawRefresh = async (id: number) =>
    product.app.get(EncryptionService).decrypt((await tokenRow(id)).refreshTokenEncrypted);
  const googleRefresh = (refreshToken: string) =>
    fetch(`${fake.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
      }),
    });
  const accountIdOf = (location: string | null) =>
    Number(new URL(location ?? '', 'http://x').searchParams.get('account'));
  const list = async () => (await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body;
  // The connect and reconnect flows queue syncs; statuses are read once they have run.
  const idle = async () => {
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await product.app.get(SyncService).onIdle();
    }
  };

  /** The browser's trip to Google and back, stopping before the product handles the callback. */
  async function callbackUrl(s: HttpSession, route: string, email: string): Promise<string> {
    const authorize = new URL((await s.get(route)).headers.get('location')!);
    authorize.searchParams.set('login_hint', email);
    return (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
  }

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    await product.app.get(SettingsService).set({
      [SETTING_KEYS.smtpHost]: '127.0.0.1',
      [SETTING_KEYS.smtpPort]: '2525',
      [SETTING_KEYS.smtpFromAddress]: 'busybridge@home.example',
      [SETTING_KEYS.alertsEnabled]: 'true',
    });
    ann = new HttpSession(product.url, (await signInHomeUser(product, 'ann@home.example')).cookie);
    ben = new HttpSession(product.url, (await signInHomeUser(product, 'ben@home.example')).cookie);
    acme = accountIdOf((await connectAccount(ann, '/auth/connect-client', 'ann@acme.example')).headers.get('location'));
    globex = accountIdOf(
      (await connectAccount(ann, '/auth/connect-client', 'ann@globex.example')).headers.get('location'),
    );
    for (const [accountId, calendarId] of [
      [acme, 'ann@acme.example'],
      [acme, 'acme-projects@group.acme.example'],
      [globex, 'ann@globex.example'],
    ] as const) {
      expect((await ann.json('POST', '/api/client-calendars', { accountId, calendarId })).status).toBe(201);
    }
    rows = await list();
  });
  afterAll(async () => {
    await idle();
    await product?.close();
    await fake?.close();
  });

  it('refreshes an expired access token, stores the new one sealed, and no Google call fails', async () => {
    const before = await tokenRow(globex);
    // Google's clock moves two hours: the stored access token is dead there while we still think it alive.
    fake.control.advanceClock(2 * 3600_000);
    fake.control.clearCallLog();
    const res = await ann.json<unknown[]>('GET', `/api/accounts/${globex}/calendars`);
    // Back to real time, or the emulator's ID tokens would be issued "in the future" for later flows.
    fake.control.advanceClock(-2 * 3600_000);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
    // Google refused the stale token once; the client refreshed and retried, and the call succeeded.
    expect(fake.control.callLog({ kind: 'calendarList.list' }).map((c) => c.status)).toEqual([401, 200]);
    expect(fake.control.callLog({ kind: 'token' }).length).toBeGreaterThanOrEqual(1);
    expect(fake.control.callLog().filter((c) => c.status >= 400 && c.status !== 401)).toEqual([]);
    // The refreshed token is stored from the client's 'tokens' event, just after the call.
    let after = await tokenRow(globex);
    for (let i = 0; i < 20 && after.accessTokenEncrypted.equals(before.accessTokenEncrypted); i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await tokenRow(globex);
    }
    expect(after.accessTokenEncrypted.equals(before.accessTokenEncrypted)).toBe(false);
    expect(after.needsReauth).toBe(false);

    // Short-lived tokens: every use refreshes before the call, so Google never sees an expired one.
    fake.control.setAccessTokenLifetime(1);
    await connectAccount(ann, '/auth/connect-client', 'ann@globex.example');
    fake.control.clearCallLog();
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 1100));
      expect((await ann.json('GET', `/api/accounts/${globex}/calendars`)).status).toBe(200);
    }
    expect(fake.control.callLog().filter((c) => c.status >= 400)).toEqual([]);
    expect(fake.control.callLog({ kind: 'token' }).length).toBeGreaterThanOrEqual(2);
    fake.control.setAccessTokenLifetime(3600);
    expect((await list()).every((r) => r.status === 'ok')).toBe(true);
  }, 30_000);

  it('marks exactly the calendars of a revoked account as needing re-authentication, alerts, and leaves the rest alone', async () => {
    fake.control.revokeGrants('ann@acme.example');
    const refused = await ann.json<{ error: string }>('GET', `/api/accounts/${acme}/calendars`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/re-authentication/);
    const after = await list();
    for (const row of after) {
      if (row.accountId === acme)
        expect([row.id, row.status, row.lastError]).toEqual([
          row.id,
          'error',
          expect.stringMatching(/re-authentication/),
        ]);
      else expect([row.id, row.status, row.lastError]).toEqual([row.id, 'ok', null]);
    }
    expect(after.filter((r) => r.status === 'error')).toHaveLength(2);
    const acmeRow = rows.find((r) => r.accountId === acme)!;
    expect((await ann.json('GET', `/api/client-calendars/${acmeRow.id}/status`)).body).toMatchObject({
      needsReauth: true,
      syncState: 'needs_reauth',
    });
    expect((await ann.json('POST', `/api/client-calendars/${acmeRow.id}/sync`)).status).toBe(409);
    expect((await ann.json('GET', `/api/accounts/${globex}/calendars`)).status).toBe(200);
    const alerts = await db()
      .reader.getRepository(AlertQueueItem)
      .find({ where: { alertType: 'token_revoked' } });
    expect(alerts.map((a) => a.recipientEmail)).toContain('ann@home.example');
    expect(alerts[0].body).toContain('ann@acme.example');
  });

  it('a reconnect of the revoked account clears it: same row, no duplicate, calendars ok again', async () => {
    const done = await connectAccount(ann, '/auth/connect-client', 'ann@acme.example');
    expect(done.headers.get('location')).toBe(`/app/connect?account=${acme}`);
    await idle();
    expect((await list()).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(await db().reader.getRepository(OAuthToken).countBy({ googleAccountEmail: 'ann@acme.example' })).toBe(1);
    expect((await tokenRow(acme)).needsReauth).toBe(false);
  });

  it('reconnecting a live account replaces its token in place and revokes the old one at Google', async () => {
    const old = await rawRefresh(acme);
    expect((await googleRefresh(old)).status).toBe(200);
    fake.control.clearCallLog();
    const done = await connectAccount(ann, '/auth/connect-client', 'ann@acme.example');
    expect(done.headers.get('location')).toBe(`/app/connect?account=${acme}`);
    expect(fake.control.callLog({ kind: 'revoke' }).length).toBeGreaterThanOrEqual(1);
    const fresh = await rawRefresh(acme);
    expect(fresh).not.toBe(old);
    const dead = await googleRefresh(old);
    expect(dead.status).toBe(400);
    expect(await dead.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await db().reader.getRepository(OAuthToken).countBy({ googleAccountEmail: 'ann@acme.example' })).toBe(1);
    expect((await ann.json('GET', `/api/accounts/${acme}/calendars`)).status).toBe(200);
    await idle();
    expect((await list()).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect((await tokenRow(acme)).needsReauth).toBe(false);
  });

  it('refuses a replayed, foreign, tampered or cross-flow state, storing nothing', async () => {
    const count = () => db().reader.getRepository(OAuthToken).count();
    const before = await count();
    const back = await callbackUrl(ann, '/auth/connect-client', 'ann@globex.example');
    expect((await ann.get(back)).status).toBe(302);
    const replay = await ann.get(back);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/invalid, has expired or was already used/);

    const foreign = await callbackUrl(ann, '/auth/connect-client', 'ann@globex.example');
    expect((await ben.get(foreign)).status).toBe(400);
    expect((await ben.json('GET', '/api/accounts')).body).toEqual([]);
    expect((await ann.get(foreign)).status).toBe(400);

    const tampered = new URL(await callbackUrl(ann, '/auth/connect-client', 'ann@globex.example'));
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')!.slice(0, -2)}xx`);
    expect((await ann.get(tampered.toString())).status).toBe(400);

    const crossFlow = new URL(await callbackUrl(ann, '/auth/connect-client', 'ann.personal@gmail.example'));
    const atPersonal = await ann.get(`/auth/connect-personal/callback${crossFlow.search}`);
    expect(atPersonal.status).toBe(400);
    const json = await ann.request('GET', `/auth/connect-client/callback?state=nope&code=x`, undefined, {
      accept: 'application/json',
    });
    expect(await json.json()).toEqual({ error: expect.stringMatching(/invalid, has expired or was already used/) });
    expect(await count()).toBe(before);
  });

  it("refuses the user's own home account as a client account", async () => {
    const before = await db().reader.getRepository(OAuthToken).count();
    const res = await connectAccount(ann, '/auth/connect-client', 'ann@home.example');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This is your home account');
    expect(await db().reader.getRepository(OAuthToken).count()).toBe(before);
  });

  it('turns a blocked consent into a clear page with the IT approval sheet', async () => {
    fake.control.seed({ accounts: [{ email: 'ann@initech.example' }], domains: ['initech.example'] });
    fake.control.setAccountFlags('ann@initech.example', { adminBlocked: true });
    const blocked = await connectAccount(ann, '/auth/connect-client', 'ann@initech.example');
    expect(blocked.status).toBe(200);
    const html = await blocked.text();
    expect(html).toMatch(/Blocked by the account&#x27;s administrator|Blocked by the account's administrator/);
    expect(html).toContain('href="/app/it-approval"');
    fake.control.setAccountFlags('ann@initech.example', { adminBlocked: false, denyConsent: true });
    const denied = await connectAccount(ann, '/auth/connect-client', 'ann@initech.example');
    expect(denied.status).toBe(200);
    expect(await denied.text()).toContain('Access was not granted');
    expect((await ann.json<Array<{ email: string }>>('GET', '/api/accounts')).body.map((a) => a.email)).not.toContain(
      'ann@initech.example',
    );

    const sheet = await (await ann.get('/app/it-approval')).text();
    expect(sheet).toContain(`<code id="client-id">${TEST_CLIENT_ID}</code>`);
    for (const scope of ['calendar.events', 'calendar.events.readonly', 'calendar.calendarlist.readonly']) {
      expect(sheet).toContain(`<code>https://www.googleapis.com/auth/${scope}</code>`);
    }
    expect(sheet).toContain('write private, detail-free');
    expect(sheet).not.toContain(TEST_CLIENT_SECRET);
  });
});
