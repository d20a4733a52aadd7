import { DatabaseService } from '../../src/database/database.service';
import { SyncService } from '../../src/sync/sync.service';
import { CalendarRow } from '../calendars/world';
import { FakeGoogle, RawEvent, SeedData } from '../fake-google';
import { completeWizard, signInWithGoogle, startWorld } from '../setup/support';
import { CookieClient } from '../support/cookie-client';
import { connectAccount, HttpSession } from '../support/http-session';
import { checkInvariants, CheckedCalendar, readDbRows } from '../support/invariants';
import { RunningProduct } from '../support/product';
import { PREFIX } from './sync-fixtures';

/** A consultant signed in through /auth/login, with the calendars connected through the product's API. */
export interface Consultant {
  email: string;
  userId: number;
  session: HttpSession;
  /** Connected rows by Google calendar id; the main calendar's row included (made by sign-in). */
  rows: Map<string, { id: number; kind: CheckedCalendar['kind']; account: string }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The product folds push notifications into 1-second windows (src/webhooks); a trailing sync fires at its end. */
const COALESCE_QUIET_MS = 1_150;

/**
 * The product against the emulator, driven only as a browser and Google would: sign-in and connect flows
 * through the emulator's OAuth, calendars connected, synced and disconnected through the HTTP API, and
 * Google's push notifications delivered by the emulator to the product's real webhook route (channels are
 * opened on sign-in and on connect). Events are made with the emulator's control API, as their owners
 * would in Google Calendar. Nothing is written to the product's database by the test.
 */
export class HttpWorld {
  private constructor(
    readonly fake: FakeGoogle,
    readonly product: RunningProduct,
  ) {}

  /** The emulator and the product, set up by an admin through the wizard's HTTP steps. */
  static async start(seed: SeedData): Promise<HttpWorld> {
    const world = await startWorld();
    world.fake.control.seed(seed);
    await completeWizard(world);
    return new HttpWorld(world.fake, world.product);
  }

  async signIn(email: string): Promise<Consultant> {
    const browser = new CookieClient(this.product.url);
    const { location } = await signInWithGoogle(browser, this.fake, email);
    if (location !== '/app') throw new Error(`sign-in of ${email} ended at ${location}`);
    const session = new HttpSession(this.product.url, [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const me = await session.json<{ id: number; mainCalendarId: string }>('GET', '/api/me');
    const [main] = await this.product.app
      .get(DatabaseService)
      .reader.query(`SELECT id FROM client_calendars WHERE user_id = ? AND calendar_type = 'main'`, [me.body.id]);
    return {
      email,
      userId: me.body.id,
      session,
      rows: new Map([[me.body.mainCalendarId, { id: main.id as number, kind: 'main', account: email }]]),
    };
  }

  /** The connect flow for `account` (Google consent at the emulator), then `POST /api/{kind}-calendars`. */
  async connect(
    who: Consultant,
    kind: 'client' | 'personal',
    account: string,
    calendarId = account,
  ): Promise<CalendarRow> {
    const done = await connectAccount(
      who.session,
      kind === 'client' ? '/auth/connect-client' : '/auth/connect-personal',
      account,
    );
    const accountId = Number(new URL(done.headers.get('location') ?? '', this.product.url).searchParams.get('account'));
    const res = await who.session.json<CalendarRow>('POST', `/api/${kind}-calendars`, { accountId, calendarId });
    if (res.status !== 201)
      throw new Error(`connecting ${calendarId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    who.rows.set(calendarId, { id: res.body.id, kind, account });
    return res.body;
  }

  /** `POST` to one of the sync routes (all answer 202), then waits until everything it set off is done. */
  async sync(who: Consultant, calendarId?: string): Promise<void> {
    const row = calendarId === undefined ? undefined : who.rows.get(calendarId);
    if (calendarId !== undefined && (!row || row.kind === 'main'))
      throw new Error(`${calendarId}: no client or personal row`);
    const path = row ? `/api/${row.kind}-calendars/${row.id}/sync` : '/api/sync/full';
    const res = await who.session.json('POST', path);
    if (res.status !== 202) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    await this.settle();
  }

  /** `DELETE /api/client-calendars/:id`: answers once the cleanup on Google is done. */
  async disconnect(who: Consultant, calendarId: string): Promise<CalendarRow> {
    const res = await who.session.json<CalendarRow>('DELETE', `/api/client-calendars/${who.rows.get(calendarId)?.id}`);
    if (res.status !== 200) throw new Error(`disconnect answered ${res.status}`);
    who.rows.delete(calendarId);
    await this.settle();
    return res.body;
  }

  /**
   * Waits until the product is at rest: every push the emulator scheduled has reached the webhook, every
   * sync it (or a route) requested is done (SyncService.onIdle: reading the product's state, not driving
   * it), and no notification can still be folded into an open coalescing window of src/webhooks (1 s from
   * a trigger; a trailing sync fires at its end). A notification more than two windows after its channel's
   * previous one triggered at once, so only close-together ones make this wait out a window.
   */
  async settle(): Promise<void> {
    const sync = this.product.app.get(SyncService);
    for (;;) {
      const before = this.fake.control.deliveries().length;
      await sync.onIdle();
      this.observeDeliveries();
      const live = new Map(this.fake.control.channels().map((c) => [c.id, c.messageNumber]));
      const all = this.fake.control.deliveries();
      const delivered = all.filter((d) => live.has(d.channelId)).length;
      const scheduled = [...live.values()].reduce((a, b) => a + b, 0);
      if (all.length === before && delivered === scheduled && !this.windowMayBeOpen(Date.now())) return;
      await sleep(40);
    }
  }

  /** When each push notification that reached the coalescer was first seen here, by channel. */
  private readonly arrivals = new Map<string, number[]>();
  private observed = 0;

  private observeDeliveries(): void {
    const all = this.fake.control.deliveries();
    for (const d of all.slice(this.observed)) {
      if (d.state === 'exists' && d.status === 200)
        this.arrivals.set(d.channelId, [...(this.arrivals.get(d.channelId) ?? []), Date.now()]);
    }
    this.observed = all.length;
  }

  private windowMayBeOpen(now: number): boolean {
    return [...this.arrivals.values()].some((times) => {
      const [previous, last] = times.slice(-2);
      return times.length > 1 && last - previous < 2 * COALESCE_QUIET_MS && now - last < COALESCE_QUIET_MS;
    });
  }

  /** Live events of a calendar as the emulator stores them (tombstones left out). */
  live(calendarId: string): RawEvent[] {
    return this.fake.control.calendarState(calendarId).filter((e) => e.data.status !== 'cancelled');
  }

  /** Event writes to a calendar in the emulator's call log (since `since`, epoch ms). */
  writesTo(calendarId: string, since?: number): string[] {
    return this.fake.control
      .callLog(since === undefined ? {} : { since })
      .filter((c) => c.calendarId === calendarId && /insert|update|patch|delete/.test(c.kind))
      .map((c) => c.kind);
  }

  /** The sync invariants (docs/architecture.md) from the outside: every invariant over these users' connected calendars. */
  async invariants(...users: Consultant[]): Promise<string[]> {
    const db = this.product.app.get(DatabaseService).reader;
    const rows = await readDbRows((sql) => db.query(sql));
    const checked = users.map((u) => ({
      userId: u.userId,
      calendars: [...u.rows].map(([googleId, r]): CheckedCalendar => ({
        rowId: r.id,
        googleId,
        kind: r.kind,
        account: r.account,
      })),
    }));
    return checkInvariants(this.fake, checked, rows, { prefix: PREFIX, windowStartMs: Date.now() - 30 * 86_400_000 });
  }

  async close(): Promise<void> {
    await this.settle();
    await this.product.close();
    await this.fake.close();
  }
}
