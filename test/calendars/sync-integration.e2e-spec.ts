import { DatabaseService } from '../../src/database/database.service';
import { SyncLog } from '../../src/database/entities';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, RawEvent, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { connectAccount, connectCalendar, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { CalendarRow, HOME_DOMAIN, WORLD } from './world';

/** The calendars room driving the real sync engine: initial sync, refresh mid-run, revocation, disconnect, main move. */
describe('connections with the sync engine', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ann: HttpSession;
  const rows: Record<string, CalendarRow> = {};

  // requestSync resolves the calendar's user before it queues, so give it a moment before waiting for the lanes.
  const idle = async () => {
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await product.app.get(SyncService).onIdle();
    }
  };
  const live = (calendarId: string) =>
    fake.control.calendarState(calendarId).filter((e) => e.data.status !== 'cancelled');
  const ours = (calendarId: string): RawEvent[] =>
    live(calendarId).filter((e) => e.data.extendedProperties?.private?.busybridge !== undefined);
  const list = async (kind: 'client' | 'personal') =>
    (await ann.json<CalendarRow[]>('GET', `/api/${kind}-calendars`)).body;
  const failures = () => product.app.get(DatabaseService).reader.getRepository(SyncLog).countBy({ status: 'failure' });
  const tomorrow = (hour: number) => {
    const start = new Date(Date.now() + 86_400_000);
    start.setUTCHours(hour, 0, 0, 0);
    return {
      start: { dateTime: start.toISOString() },
      end: { dateTime: new Date(start.getTime() + 3600_000).toISOString() },
    };
  };

  async function connect(kind: 'client' | 'personal', email: string, calendarId: string): Promise<CalendarRow> {
    const res = await connectCalendar<CalendarRow>(ann, kind, email, calendarId);
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    fake.control.createEvent('ann@home.example', 'ann@home.example', { summary: 'Main planning', ...tomorrow(9) });
    fake.control.createEvent('ann@acme.example', 'ann@acme.example', {
      summary: 'Acme standup',
      description: 'Agenda',
      ...tomorrow(10),
    });
    fake.control.createEvent('ann@globex.example', 'ann@globex.example', { summary: 'Globex review', ...tomorrow(11) });
    fake.control.createEvent('ann.personal@gmail.example', 'ann.personal@gmail.example', {
      summary: 'Dentist',
      ...tomorrow(12),
    });
    ann = new HttpSession(product.url, (await signInHomeUser(product, 'ann@home.example')).cookie);
    await idle();
  });
  afterAll(async () => {
    await idle();
    await product?.close();
    await fake?.close();
  });

  it('runs the initial sync when calendars are connected', async () => {
    rows.acme = await connect('client', 'ann@acme.example', 'ann@acme.example');
    rows.globex = await connect('client', 'ann@globex.example', 'ann@globex.example');
    rows.personal = await connect('personal', 'ann.personal@gmail.example', 'ann.personal@gmail.example');
    await idle();
    expect(
      ours('ann@home.example')
        .map((e) => e.data.summary)
        .sort(),
    ).toEqual(['Acme standup', 'Globex review', expect.stringMatching(/Busy \(Personal\)$/)].sort());
    expect(ours('ann@acme.example').map((e) => e.data.summary)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Busy$/)]),
    );
    for (const row of [...(await list('client')), ...(await list('personal'))]) {
      expect([row.id, row.status, row.lastSyncAt]).toEqual([row.id, 'ok', expect.any(String)]);
    }
    expect(ours('ann.personal@gmail.example')).toEqual([]);
    expect(await failures()).toBe(0);
  });

  it('refreshes expiring access tokens mid-run with no failed sync', async () => {
    fake.control.setAccessTokenLifetime(1);
    await connectAccount(ann, '/auth/connect-client', 'ann@acme.example');
    await idle();
    fake.control.createEvent('ann@acme.example', 'ann@acme.example', { summary: 'Acme retro', ...tomorrow(14) });
    fake.control.clearCallLog();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await ann.json('POST', `/api/client-calendars/${rows.acme.id}/sync`)).status).toBe(202);
    await idle();
    fake.control.setAccessTokenLifetime(3600);
    expect(ours('ann@home.example').map((e) => e.data.summary)).toContain('Acme retro');
    expect(fake.control.callLog({ kind: 'token' }).length).toBeGreaterThan(0);
    // A 1-second token can lapse between its refresh and its use on a loaded machine: Google's 401 then
    // leads to one refresh and a resend, so what must hold is that no call and no sync failed for it.
    const unauthorized = fake.control.callLog().filter((c) => c.status === 401).length;
    expect(fake.control.callLog({ kind: 'token' }).length).toBeGreaterThanOrEqual(unauthorized);
    expect(await failures()).toBe(0);
    expect((await list('client')).every((r) => r.status === 'ok')).toBe(true);
  });

  it('disconnect removes what BusyBridge wrote for the calendar before answering 200', async () => {
    const res = await ann.json<CalendarRow>('DELETE', `/api/client-calendars/${rows.acme.id}`);
    expect(res.status).toBe(200);
    expect(res.body.isActive).toBe(false);
    expect(ours('ann@acme.example')).toEqual([]);
    expect(ours('ann@home.example').map((e) => e.data.summary)).not.toEqual(expect.arrayContaining(['Acme standup']));
    expect(ours('ann@home.example').map((e) => e.data.summary)).not.toContain('Acme retro');
    expect(live('ann@acme.example').map((e) => e.data.summary)).toEqual(
      expect.arrayContaining(['Acme standup', 'Acme retro']),
    );
  });

  it('moving the main calendar leaves nothing behind on the old one and rebuilds on the new one', async () => {
    expect(ours('ann@home.example').length).toBeGreaterThan(0);
    const moved = await ann.json('PUT', '/api/me/main-calendar', { calendarId: 'ann-work@group.home.example' });
    expect(moved.status).toBe(200);
    await idle();
    expect(ours('ann@home.example')).toEqual([]);
    expect(
      ours('ann-work@group.home.example')
        .map((e) => e.data.summary)
        .sort(),
    ).toEqual(['Globex review', expect.stringMatching(/Busy \(Personal\)$/)].sort());
    expect(live('ann@home.example').map((e) => e.data.summary)).toContain('Main planning');
  });
  it('a revoked account stops only its own calendar, visible in GET /api/client-calendars', async () => {
    fake.control.revokeGrants('ann@globex.example');
    expect((await ann.json('POST', `/api/client-calendars/${rows.globex.id}/sync`)).status).toBe(202);
    await idle();
    const globex = (await list('client')).find((r) => r.id === rows.globex.id);
    expect(globex).toMatchObject({ status: 'error', lastError: expect.stringMatching(/re-authentication/) });
    expect((await ann.json('POST', `/api/client-calendars/${rows.globex.id}/sync`)).status).toBe(409);
    // Only that account is flagged: the other accounts keep working with Google.
    for (const account of (await ann.json<Array<{ id: number; email: string }>>('GET', '/api/accounts')).body) {
      const expected = account.email === 'ann@globex.example' ? 409 : 200;
      expect([account.email, (await ann.json('GET', `/api/accounts/${account.id}/calendars`)).status]).toEqual([
        account.email,
        expected,
      ]);
    }
  });
});
