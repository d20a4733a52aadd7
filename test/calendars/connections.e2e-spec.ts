import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { DatabaseService } from '../../src/database/database.service';
import { ClientCalendar, OAuthToken } from '../../src/database/entities';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { connectAccount, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { Account, CalendarRow, HOME_DOMAIN, ROW_KEYS, WORLD } from './world';

/**
 * Two users of the home domain each connect three client calendars and one personal calendar through the
 * real connect flow against the Google emulator; each sees only their own; tokens are sealed at rest.
 * Sessions: test/support/calendar-session.ts (real consent + code exchange, SessionService cookie).
 */
describe('client and personal calendars: connect, list, isolate, disconnect', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ann: HttpSession;
  let ben: HttpSession;
  const rows: Record<'ann' | 'ben', CalendarRow[]> = { ann: [], ben: [] };

  async function connect(s: HttpSession, kind: 'client' | 'personal', email: string): Promise<number> {
    const done = await connectAccount(s, kind === 'client' ? '/auth/connect-client' : '/auth/connect-personal', email);
    expect(done.status).toBe(302);
    const location = done.headers.get('location')!;
    expect(location).toMatch(/^\/app\/connect\?account=\d+$/);
    return Number(new URL(location, 'http://x').searchParams.get('account'));
  }

  async function add(
    s: HttpSession,
    kind: 'client' | 'personal',
    account: number,
    calendarId: string,
  ): Promise<CalendarRow> {
    const res = await s.json<CalendarRow>('POST', `/api/${kind}-calendars`, { accountId: account, calendarId });
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    ann = new HttpSession(product.url, (await signInHomeUser(product, 'ann@home.example')).cookie);
    ben = new HttpSession(product.url, (await signInHomeUser(product, 'ben@home.example')).cookie);
  });
  afterAll(async () => {
    await product?.app.get(SyncService).onIdle();
    await product?.close();
    await fake?.close();
  });

  it('connects accounts through Google consent with the narrowest scopes, offline, account chooser forced', async () => {
    const start = await ann.get('/auth/connect-client');
    expect(start.status).toBe(302);
    const google = new URL(start.headers.get('location')!);
    expect(google.origin + google.pathname).toBe(`${fake.url}/o/oauth2/v2/auth`);
    expect(google.searchParams.get('access_type')).toBe('offline');
    expect(google.searchParams.get('prompt')).toBe('consent select_account');
    expect(google.searchParams.get('scope')!.split(' ').sort()).toEqual([
      'email',
      'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
      'https://www.googleapis.com/auth/calendar.events',
      'openid',
      'profile',
    ]);
    expect(google.searchParams.get('redirect_uri')).toBe(`${product.url}/auth/connect-client/callback`);
    expect(google.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const personal = new URL((await ann.get('/auth/connect-personal')).headers.get('location')!);
    expect(personal.searchParams.get('scope')!.split(' ')).toContain(
      'https://www.googleapis.com/auth/calendar.events.readonly',
    );
    expect(personal.searchParams.get('scope')!.split(' ')).not.toContain(
      'https://www.googleapis.com/auth/calendar.events',
    );
  });

  it('lets each user connect three client calendars and one personal calendar', async () => {
    const acme = await connect(ann, 'client', 'ann@acme.example');
    const globex = await connect(ann, 'client', 'ann@globex.example');
    const annPersonal = await connect(ann, 'personal', 'ann.personal@gmail.example');
    expect((await ann.json<Account[]>('GET', '/api/accounts')).body).toEqual([
      { id: acme, email: 'ann@acme.example', type: 'client' },
      { id: globex, email: 'ann@globex.example', type: 'client' },
      { id: annPersonal, email: 'ann.personal@gmail.example', type: 'personal' },
    ]);
    const acmeCalendars = (
      await ann.json<Array<{ id: string; accessRole: string; primary: boolean; summary: string }>>(
        'GET',
        `/api/accounts/${acme}/calendars`,
      )
    ).body;
    expect(acmeCalendars).toEqual(
      expect.arrayContaining([
        { id: 'ann@acme.example', summary: 'ann@acme.example', primary: true, accessRole: 'owner' },
        { id: 'acme-projects@group.acme.example', summary: 'Acme projects', primary: false, accessRole: 'owner' },
        { id: 'acme-board@group.acme.example', summary: 'Acme board', primary: false, accessRole: 'reader' },
      ]),
    );
    // One account serves two client calendars.
    rows.ann.push(await add(ann, 'client', acme, 'ann@acme.example'));
    rows.ann.push(await add(ann, 'client', acme, 'acme-projects@group.acme.example'));
    rows.ann.push(await add(ann, 'client', globex, 'ann@globex.example'));
    rows.ann.push(await add(ann, 'personal', annPersonal, 'ann.personal@gmail.example'));

    for (const email of ['ben@initech.example', 'ben@umbrella.example', 'ben@hooli.example']) {
      rows.ben.push(await add(ben, 'client', await connect(ben, 'client', email), email));
    }
    rows.ben.push(
      await add(
        ben,
        'personal',
        await connect(ben, 'personal', 'ben.personal@gmail.example'),
        'ben.personal@gmail.example',
      ),
    );

    expect(rows.ann[0]).toEqual({
      id: expect.any(Number),
      accountId: acme,
      accountEmail: 'ann@acme.example',
      googleCalendarId: 'ann@acme.example',
      displayName: 'ann@acme.example',
      type: 'client',
      isActive: true,
      lastSyncAt: null,
      status: 'ok',
      lastError: null,
    });
    expect(rows.ann[3]).toMatchObject({ type: 'personal', accountEmail: 'ann.personal@gmail.example' });
  });

  it('lists to each user exactly their own calendars, with the fields of API.md and never a main row', async () => {
    for (const [who, s] of [
      ['ann', ann],
      ['ben', ben],
    ] as const) {
      const clients = (await s.json<CalendarRow[]>('GET', '/api/client-calendars')).body;
      const personals = (await s.json<CalendarRow[]>('GET', '/api/personal-calendars')).body;
      expect(clients.map((r) => r.id)).toEqual(rows[who].filter((r) => r.type === 'client').map((r) => r.id));
      expect(personals.map((r) => r.id)).toEqual(rows[who].filter((r) => r.type === 'personal').map((r) => r.id));
      for (const r of [...clients, ...personals]) expect(Object.keys(r).sort()).toEqual(ROW_KEYS);
      expect(clients).toHaveLength(3);
      expect(personals).toHaveLength(1);
    }
  });

  it("answers 404 for another user's calendars and accounts, and for missing ids", async () => {
    const annClient = rows.ann[0];
    const annPersonal = rows.ann[3];
    for (const [method, p] of [
      ['GET', `/api/client-calendars/${annClient.id}/status`],
      ['POST', `/api/client-calendars/${annClient.id}/sync`],
      ['DELETE', `/api/client-calendars/${annClient.id}`],
      ['GET', `/api/personal-calendars/${annPersonal.id}/status`],
      ['DELETE', `/api/personal-calendars/${annPersonal.id}`],
      ['GET', `/api/accounts/${annClient.accountId}/calendars`],
      ['GET', `/app/connect?account=${annClient.accountId}`],
      ['GET', '/api/client-calendars/999999/status'],
      ['DELETE', '/api/client-calendars/999999'],
      // A personal row is not reachable through the client routes, nor the reverse.
      ['GET', `/api/client-calendars/${rows.ben[3].id}/status`],
    ] as const) {
      const res = await ben.request(method, p);
      expect([method, p, res.status]).toEqual([method, p, 404]);
    }
    const attach = await ben.json<{ error: string }>('POST', '/api/client-calendars', {
      accountId: annClient.accountId,
      calendarId: 'ann@acme.example',
    });
    expect(attach.status).toBe(404);
    expect((await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body).toHaveLength(3);
  });

  it('refuses a read-only calendar as a client calendar, and the same calendar twice, with clear messages', async () => {
    const acme = rows.ann[0].accountId;
    const readOnly = await ann.json<{ error: string }>('POST', '/api/client-calendars', {
      accountId: acme,
      calendarId: 'acme-board@group.acme.example',
    });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.error).toMatch(/busy blocks could never be written there/);
    const twice = await ann.json<{ error: string }>('POST', '/api/client-calendars', {
      accountId: acme,
      calendarId: 'acme-projects@group.acme.example',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatch(/already connected/);
    const asPersonal = await ann.json<{ error: string }>('POST', '/api/personal-calendars', {
      accountId: acme,
      calendarId: 'ann@acme.example',
    });
    expect(asPersonal.status).toBe(409);
    const personalAccountAsClient = await ann.json<{ error: string }>('POST', '/api/client-calendars', {
      accountId: rows.ann[3].accountId,
      calendarId: 'ann.personal@gmail.example',
    });
    expect(personalAccountAsClient.status).toBe(400);
    expect(personalAccountAsClient.body.error).toMatch(/personal account/);
    const unknown = await ann.json<{ error: string }>('POST', '/api/client-calendars', {
      accountId: acme,
      calendarId: 'nobody@group.acme.example',
    });
    expect(unknown.status).toBe(400);
    expect((await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body).toHaveLength(3);
  });

  it('answers bad input with 400 and a clear message, anonymous with 401, no CSRF token with 403', async () => {
    for (const body of [
      {},
      { accountId: 'one', calendarId: 'x' },
      { accountId: 1 },
      { accountId: 1, calendarId: '' },
      { accountId: 1, calendarId: 'x', extra: true },
      { accountId: -3, calendarId: 'x' },
    ]) {
      const res = await ann.json<{ error: string }>('POST', '/api/client-calendars', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/Invalid input/);
    }
    expect((await ann.request('GET', '/api/client-calendars/abc/status')).status).toBe(400);
    expect((await ann.request('GET', '/api/client-calendars/99999999999999/status')).status).toBe(400);
    expect((await fetch(`${product.url}/api/client-calendars`)).status).toBe(401);
    expect((await fetch(`${product.url}/auth/connect-client`, { redirect: 'manual' })).headers.get('location')).toMatch(
      /^\/app\/login/,
    );
    const noCsrf = await fetch(`${product.url}/api/client-calendars/${rows.ann[0].id}`, {
      method: 'DELETE',
      headers: { cookie: ann.cookieHeader() },
    });
    expect(noCsrf.status).toBe(403);
  });

  it('queues a manual sync (202) and reports a detailed status', async () => {
    const sync = await ann.json<{ queued: boolean }>('POST', `/api/client-calendars/${rows.ann[1].id}/sync`);
    expect(sync).toEqual({ status: 202, body: { queued: true, id: rows.ann[1].id } });
    const status = await ann.json<Record<string, unknown>>('GET', `/api/client-calendars/${rows.ann[1].id}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      id: rows.ann[1].id,
      status: 'ok',
      accessRole: 'owner',
      needsReauth: false,
      consecutiveFailures: 0,
    });
  });

  it('renders the calendar picker for a connected account', async () => {
    const page = await ann.get(`/app/connect?account=${rows.ann[0].accountId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-calendar="acme-projects@group.acme.example"');
    expect(html).toMatch(
      /Acme board<\/strong> · reader\s*<em>read-only: busy blocks could never be written there<\/em>/,
    );
    expect(html).toMatch(/data-csrf="[A-Za-z0-9_-]{20,}"/);
  });

  it('disconnects: 200, gone from the list, the row kept for audit marked disconnected', async () => {
    const target = rows.ben[1];
    const res = await ben.json<CalendarRow>('DELETE', `/api/client-calendars/${target.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: target.id, isActive: false });
    expect((await ben.json<CalendarRow[]>('GET', '/api/client-calendars')).body.map((r) => r.id)).not.toContain(
      target.id,
    );
    const kept = await product.app
      .get(DatabaseService)
      .reader.getRepository(ClientCalendar)
      .findOneByOrFail({ id: target.id });
    expect(kept.isActive).toBe(false);
    expect(kept.disconnectedAt).toBeInstanceOf(Date);
    expect((await ben.request('DELETE', `/api/client-calendars/${target.id}`)).status).toBe(404);
    // The account stays connected and can serve the calendar again.
    expect(
      (
        await ben.json('POST', '/api/client-calendars', {
          accountId: target.accountId,
          calendarId: target.googleCalendarId,
        })
      ).status,
    ).toBe(201);
  });

  it('never stores a token in plaintext: the SQLite file and its WAL hold none of the raw tokens', async () => {
    const encryption = product.app.get(EncryptionService);
    const tokens = await product.app.get(DatabaseService).reader.getRepository(OAuthToken).find();
    expect(tokens.length).toBe(2 + 3 + 4);
    const raw = tokens.flatMap((t) => [
      encryption.decrypt(t.accessTokenEncrypted),
      encryption.decrypt(t.refreshTokenEncrypted),
    ]);
    expect(raw.every((r) => r.startsWith('ya29.') || r.startsWith('1//'))).toBe(true);
    const dbPath = product.config.databasePath;
    const files = [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f));
    expect(files).toContain(dbPath);
    for (const file of files) {
      const bytes = await fs.readFile(file);
      for (const secret of raw)
        expect([path.basename(file), bytes.includes(Buffer.from(secret))]).toEqual([path.basename(file), false]);
      expect(bytes.includes(Buffer.from('ya29.'))).toBe(false);
      expect(bytes.includes(Buffer.from('1//0g'))).toBe(false);
    }
  });
});
