import { SettingsService, SETTING_KEYS } from '../../src/settings/settings.service';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { connectCalendar, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { CalendarRow, HOME_DOMAIN, WORLD } from './world';

interface StatusBody {
  paused: boolean;
  status: string;
  lastSyncAt: string | null;
  errors: unknown[];
  clientCalendars: CalendarRow[];
  personalCalendars: CalendarRow[];
}
interface LogBody {
  items: Array<{ id: number; createdAt: string; calendarId: number | null; action: string; status: string }>;
  page: number;
  pageSize: number;
  total: number;
}

/** API.md: GET /api/sync/status, GET /api/sync/log?page&calendarId&status, POST /api/sync/full -> 202. */
describe('the user sync API', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ann: HttpSession;
  let ben: HttpSession;
  let acme: CalendarRow;

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    ann = new HttpSession(product.url, (await signInHomeUser(product, 'ann@home.example')).cookie);
    ben = new HttpSession(product.url, (await signInHomeUser(product, 'ben@home.example')).cookie);
    acme = (await connectCalendar<CalendarRow>(ann, 'client', 'ann@acme.example', 'ann@acme.example')).body;
    await product.app.get(SyncService).onIdle();
  });
  afterAll(async () => {
    await product?.close();
    await fake?.close();
  });

  it('reports the overall status with every connected calendar', async () => {
    const res = await ann.json<StatusBody>('GET', '/api/sync/status');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ paused: false, status: 'ok', errors: [], personalCalendars: [] });
    expect(res.body.clientCalendars.map((c) => c.id)).toEqual([acme.id]);
    expect(res.body.lastSyncAt).not.toBeNull();
    expect((await ben.json<StatusBody>('GET', '/api/sync/status')).body.clientCalendars).toEqual([]);
  });

  it("pages and filters the user's own sync log; another user's calendar is 404 and bad input 400", async () => {
    const all = await ann.json<LogBody>('GET', '/api/sync/log');
    expect(all.status).toBe(200);
    expect(all.body.page).toBe(1);
    expect(all.body.total).toBeGreaterThan(0);
    const mine = await ann.json<LogBody>('GET', `/api/sync/log?calendarId=${acme.id}&status=success&page=1`);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((i) => i.calendarId === acme.id && i.status === 'success')).toBe(true);
    expect((await ben.json<LogBody>('GET', '/api/sync/log')).body.items.some((i) => i.calendarId === acme.id)).toBe(
      false,
    );
    expect((await ben.json('GET', `/api/sync/log?calendarId=${acme.id}`)).status).toBe(404);
    for (const q of ['page=0', 'page=abc', 'status=bogus', 'calendarId=-1', 'other=1']) {
      const bad = await ann.json<{ error: string }>('GET', `/api/sync/log?${q}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/Invalid input/);
    }
  });

  it('queues a full re-sync with 202, and refuses it and manual syncs with 409 while paused', async () => {
    fake.control.createEvent('ann@acme.example', 'ann@acme.example', {
      summary: 'Kickoff',
      start: { dateTime: new Date(Date.now() + 86400_000).toISOString() },
      end: { dateTime: new Date(Date.now() + 90000_000).toISOString() },
    });
    const full = await ann.json<{ queued: boolean }>('POST', '/api/sync/full');
    expect(full).toEqual({ status: 202, body: { queued: true } });
    await product.app.get(SyncService).onIdle();
    const main = fake.control
      .calendarState('ann@home.example')
      .filter((e) => e.data.status !== 'cancelled')
      .map((e) => e.data.summary);
    expect(main).toContain('Kickoff');
    await product.app.get(SettingsService).set({ [SETTING_KEYS.syncPaused]: 'true' });
    try {
      const paused = await ann.json<{ error: string }>('POST', '/api/sync/full');
      expect(paused.status).toBe(409);
      expect(paused.body.error).toMatch(/paused/);
      expect((await ann.json('POST', `/api/client-calendars/${acme.id}/sync`)).status).toBe(409);
      expect((await ann.json<StatusBody>('GET', '/api/sync/status')).body.paused).toBe(true);
    } finally {
      await product.app.get(SettingsService).set({ [SETTING_KEYS.syncPaused]: null });
    }
    expect((await fetch(`${product.url}/api/sync/status`)).status).toBe(401);
  });
});
