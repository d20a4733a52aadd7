import { FakeGoogle, RawEvent } from '../fake-google';
import { expandSeries } from '../fake-google/calendar/recurrence';

/**
 * The sync invariants (docs/architecture.md) checked from the outside: the emulator's raw calendars against what the rules
 * demand, and the product's database against the emulator. Written independently of src/sync (no planner
 * code), so a planner bug cannot hide in its own checker. Reused by the convergence test, benchmarks and soaks.
 */

export interface CheckedCalendar {
  /** client_calendars row id. */
  rowId: number;
  googleId: string;
  kind: 'main' | 'client' | 'personal';
  /** The Google account reading it (its own attendee entry on invitations). */
  account: string;
}

export interface CheckedUser {
  userId: number;
  calendars: CheckedCalendar[];
}

/** Rows of the product database the checker reads (plain SQL, so any runner can pass it). */
export interface DbRows {
  mappings: Array<{
    id: number;
    user_id: number;
    origin_calendar_id: number;
    origin_event_id: string;
    origin_recurring_event_id: string | null;
    main_event_id: string | null;
    deleted_at: string | null;
    dismissed_at: string | null;
    content_hash: string | null;
  }>;
  blocks: Array<{
    event_mapping_id: number;
    client_calendar_id: number;
    busy_block_event_id: string;
    content_hash: string | null;
  }>;
}

export const BUSY_KEYS = new Set([
  'summary',
  'start',
  'end',
  'recurrence',
  'transparency',
  'visibility',
  'reminders',
  'extendedProperties',
  'status',
  // Google's own fields on every stored event.
  'id',
  'iCalUID',
  'created',
  'updated',
  'organizer',
  'creator',
  'recurringEventId',
  'originalStartTime',
  'eventType',
  'sequence',
  'kind',
  'etag',
  'htmlLink',
]);

type Ev = RawEvent['data'];

/** Google's own defaults carry nothing of the origin. */
const DEFAULTS: Record<string, unknown> = {
  guestsCanInviteOthers: true,
  guestsCanModify: false,
  guestsCanSeeOtherGuests: true,
  anyoneCanAddSelf: false,
  privateCopy: false,
  locked: false,
};
function isDefault(key: string, value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return key in DEFAULTS && DEFAULTS[key] === value;
}
const HORIZON_DAYS = 120;

const isOurs = (e: Ev) => e.extendedProperties?.private?.busybridge !== undefined;
const live = (e: Ev) => e.status !== 'cancelled';
const instant = (t: Ev['start']) => (t?.date ? Date.parse(`${t.date}T00:00:00Z`) : Date.parse(t?.dateTime ?? ''));
const self = (e: Ev, account: string) => e.attendees?.find((a) => a.email?.toLowerCase() === account.toLowerCase());
const declined = (e: Ev, account: string) => self(e, account)?.responseStatus === 'declined';
const blocks = (e: Ev, account: string) =>
  e.transparency !== 'transparent' &&
  !declined(e, account) &&
  e.eventType !== 'workingLocation' &&
  e.eventType !== 'birthday';

/** Live occurrences of a series on a calendar within the horizon: suffix -> [start, end, event]. */
export function occurrences(
  fake: FakeGoogle,
  calendarId: string,
  seriesId: string,
  nowMs = Date.now(),
): Map<string, { start: number; end: number; ev: Ev }> {
  const state = new Map(fake.control.calendarState(calendarId).map((e) => [e.id, e.data]));
  const parent = state.get(seriesId);
  const out = new Map<string, { start: number; end: number; ev: Ev }>();
  if (!parent?.recurrence || !live(parent)) return out;
  for (const occ of expandSeries(parent, 'UTC', nowMs - 86_400_000, nowMs + HORIZON_DAYS * 86_400_000)) {
    const ex = state.get(`${seriesId}_${occ.suffix}`);
    if (ex && !live(ex)) continue;
    const ev = ex ?? { ...parent, start: occ.start, end: occ.end };
    out.set(occ.suffix, { start: instant(ev.start), end: instant(ev.end), ev });
  }
  return out;
}

interface Expect {
  origin: { cal: CheckedCalendar; ev: Ev };
  target: CheckedCalendar;
  kind: 'copy' | 'busy' | 'personal';
}

function rank(c: CheckedCalendar): [number, number] {
  return [{ main: 0, client: 1, personal: 2 }[c.kind], c.rowId];
}
const outranks = (a: CheckedCalendar, b: CheckedCalendar) =>
  rank(a)[0] < rank(b)[0] || (rank(a)[0] === rank(b)[0] && rank(a)[1] < rank(b)[1]);

/** Every violation found, as readable lines; empty = all invariants hold. */
export function checkInvariants(
  fake: FakeGoogle,
  users: CheckedUser[],
  db: DbRows,
  opts: { prefix: string; windowStartMs: number; nowMs?: number },
): string[] {
  const problems: string[] = [];
  const nowMs = opts.nowMs ?? Date.now();
  for (const user of users) {
    const main = user.calendars.find((c) => c.kind === 'main')!;
    const clients = user.calendars.filter((c) => c.kind === 'client');
    const mappingById = new Map(db.mappings.filter((m) => m.user_id === user.userId).map((m) => [m.id, m]));
    const state = new Map(
      user.calendars.map((c) => [c.rowId, fake.control.calendarState(c.googleId).map((e) => e.data)]),
    );
    const natives = new Map(
      user.calendars.map((c) => [c.rowId, state.get(c.rowId)!.filter((e) => live(e) && !isOurs(e))]),
    );
    const dismissed = (cal: CheckedCalendar, id: string) =>
      db.mappings.some(
        (m) =>
          m.user_id === user.userId && m.origin_calendar_id === cal.rowId && m.origin_event_id === id && m.dismissed_at,
      );

    // What the rules demand.
    const expected: Expect[] = [];
    for (const cal of user.calendars) {
      for (const ev of natives.get(cal.rowId)!) {
        if (ev.recurringEventId || ev.eventType === 'workingLocation' || ev.eventType === 'birthday') continue;
        if (!ev.recurrence && instant(ev.end) < opts.windowStartMs) continue;
        if (ev.recurrence && occurrences(fake, cal.googleId, ev.id!, nowMs).size === 0) continue;
        const present = user.calendars.filter(
          (c) =>
            c.rowId !== cal.rowId && natives.get(c.rowId)!.some((n) => n.iCalUID === ev.iCalUID && !n.recurringEventId),
        );
        if (present.some((p) => outranks(p, cal))) continue;
        const account = cal.account;
        if (cal.kind === 'client' && !declined(ev, account) && !dismissed(cal, ev.id!))
          expected.push({ origin: { cal, ev }, target: main, kind: 'copy' });
        if (cal.kind === 'personal' && blocks(ev, account) && !dismissed(cal, ev.id!))
          expected.push({ origin: { cal, ev }, target: main, kind: 'personal' });
        if (!blocks(ev, account) || (cal.kind === 'client' && dismissed(cal, ev.id!))) continue;
        for (const t of clients) {
          if (t.rowId === cal.rowId || present.some((p) => p.rowId === t.rowId)) continue;
          expected.push({ origin: { cal, ev }, target: t, kind: cal.kind === 'personal' ? 'personal' : 'busy' });
        }
      }
    }

    // What is there.
    for (const cal of user.calendars) {
      const ours = state
        .get(cal.rowId)!
        .filter((e) => live(e) && isOurs(e) && e.extendedProperties?.private?.busybridgeUser === String(user.userId));
      if (cal.kind === 'personal') {
        if (ours.length)
          problems.push(`user ${user.userId}: ${ours.length} managed events on personal calendar ${cal.googleId}`);
        continue;
      }
      const seriesIds = new Set(ours.filter((e) => !e.recurringEventId).map((e) => e.id));
      const wanted = expected.filter((x) => x.target.rowId === cal.rowId);
      const found = new Map<string, Ev[]>();
      for (const e of ours) {
        if (e.recurringEventId) {
          // An exception of a copy series: its series must be ours and must still produce it.
          const suffix = e.id!.slice(e.recurringEventId.length + 1);
          if (!seriesIds.has(e.recurringEventId))
            problems.push(`${cal.googleId}: exception ${e.id} of a series that is not a live copy`);
          else if (!occurrences(fake, cal.googleId, e.recurringEventId, nowMs).has(suffix) && instant(e.start) > nowMs)
            problems.push(`${cal.googleId}: leftover exception ${e.id} not cancelled`);
          continue;
        }
        const m = mappingById.get(Number(e.extendedProperties?.private?.busybridgeMapping));
        const key = m ? `${m.origin_calendar_id}:${m.origin_event_id}` : `orphan:${e.id}`;
        found.set(key, [...(found.get(key) ?? []), e]);
        if (e.extendedProperties?.private?.busybridgeKind !== 'copy') {
          const extra = Object.keys(e).filter(
            (k) => !BUSY_KEYS.has(k) && !isDefault(k, (e as Record<string, unknown>)[k]),
          );
          if (extra.length) problems.push(`${cal.googleId}: busy block ${e.id} leaks ${extra.join(',')}`);
          if (e.visibility !== 'private' || (e.transparency ?? 'opaque') !== 'opaque')
            problems.push(`${cal.googleId}: busy block ${e.id} not private+opaque`);
        }
      }
      for (const x of wanted) {
        const key = `${x.origin.cal.rowId}:${x.origin.ev.id}`;
        const copies = found.get(key) ?? [];
        found.delete(key);
        const what = `${x.kind} of ${x.origin.cal.googleId}/${x.origin.ev.id} (${x.origin.ev.summary}) on ${cal.googleId}`;
        if (copies.length !== 1) {
          problems.push(`${what}: ${copies.length} copies`);
          continue;
        }
        problems.push(...compare(fake, x, copies[0], opts.prefix, nowMs, db, user.userId).map((p) => `${what}: ${p}`));
      }
      for (const [key, evs] of found)
        problems.push(
          `${cal.googleId}: ${evs.length} unexpected managed event(s) for ${key} (${evs.map((e) => e.summary).join(', ')})`,
        );
    }
  }
  return problems;
}

/** One expected copy against the one found: time, recurrence, title, occurrences, and the database's record. */
function compare(
  fake: FakeGoogle,
  x: Expect,
  copy: Ev,
  prefix: string,
  nowMs: number,
  db: DbRows,
  userId: number,
): string[] {
  const out: string[] = [];
  const o = x.origin.ev;
  const title =
    x.kind === 'copy' ? (o.summary ?? '') : x.kind === 'personal' ? `${prefix} Busy (Personal)` : `${prefix} Busy`;
  if ((copy.summary ?? '') !== title) out.push(`title ${JSON.stringify(copy.summary)} != ${JSON.stringify(title)}`);
  if (instant(copy.start) !== instant(o.start) || instant(copy.end) !== instant(o.end)) out.push('time differs');
  if (JSON.stringify(copy.recurrence ?? []) !== JSON.stringify(o.recurrence ?? [])) out.push('recurrence differs');
  if (x.kind === 'copy' && (copy.attendees?.length ?? 0) > 0) out.push('attendees on a main copy');
  if (o.recurrence) {
    const want = occurrences(fake, x.origin.cal.googleId, o.id!, nowMs);
    const have = occurrences(fake, x.target.googleId, copy.id!, nowMs);
    for (const [suffix, w] of want) {
      const eligible = x.kind === 'copy' ? !declined(w.ev, x.origin.cal.account) : blocks(w.ev, x.origin.cal.account);
      const dismissedOcc = db.mappings.some(
        (m) => m.user_id === userId && m.origin_event_id === `${o.id}_${suffix}` && m.dismissed_at,
      );
      const h = have.get(suffix);
      if (eligible && !(x.target.kind === 'main' && dismissedOcc)) {
        if (!h) out.push(`occurrence ${suffix} missing`);
        else if (h.start !== w.start || h.end !== w.end) out.push(`occurrence ${suffix} at another time`);
        else if (x.kind === 'copy' && (h.ev.summary ?? '') !== (w.ev.summary ?? ''))
          out.push(`occurrence ${suffix} title differs`);
      } else if (h) out.push(`occurrence ${suffix} should not show`);
    }
    for (const suffix of have.keys()) if (!want.has(suffix)) out.push(`extra occurrence ${suffix}`);
  }
  const mapping = db.mappings.find(
    (m) =>
      m.user_id === userId &&
      m.origin_calendar_id === x.origin.cal.rowId &&
      m.origin_event_id === o.id &&
      !m.deleted_at,
  );
  if (!mapping) out.push('no live mapping row');
  else if (x.target.kind === 'main' && mapping.main_event_id !== copy.id)
    out.push(`database says main copy ${mapping.main_event_id}, Google has ${copy.id}`);
  else if (
    x.target.kind === 'client' &&
    !db.blocks.some(
      (b) =>
        b.event_mapping_id === mapping.id &&
        b.client_calendar_id === x.target.rowId &&
        b.busy_block_event_id === copy.id,
    )
  )
    out.push('no busy_blocks row for it');
  return out;
}

/** The database rows the checker needs, read with any `query(sql)` function. */
export async function readDbRows(query: (sql: string) => Promise<unknown[]>): Promise<DbRows> {
  return {
    mappings: (await query(
      `SELECT id, user_id, origin_calendar_id, origin_event_id, origin_recurring_event_id, main_event_id, deleted_at, dismissed_at, content_hash FROM event_mappings`,
    )) as DbRows['mappings'],
    blocks: (await query(
      `SELECT event_mapping_id, client_calendar_id, busy_block_event_id, content_hash FROM busy_blocks`,
    )) as DbRows['blocks'],
  };
}
