import { DateTime } from 'luxon';
import { blocksTime, isDeleted, isIgnoredType, isOurs, outranks } from './eligibility';
import { blockUnder, StoredPolicy } from './policy';
import { EventBody, GoogleEvent, PlanCalendar } from './types';

/** One entry of a client calendar as anyone who opens it sees it. */
export interface PreviewItem {
  start: string;
  end: string;
  allDay: boolean;
  title: string;
  source: 'busybridge' | 'native';
  busy: boolean;
}

/** The events of one of the user's calendars, as listed from Google. */
export interface OriginListing {
  calendar: PlanCalendar;
  events: GoogleEvent[];
}

function when(t: GoogleEvent['start']): string {
  if (t?.date && !t.dateTime) return t.date;
  const ms = Date.parse(t?.dateTime ?? '');
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

/** An event as the preview lists it: times as UTC instants (all-day: dates), our events told apart by marker. */
export function previewItem(event: GoogleEvent, title = event.summary ?? ''): PreviewItem {
  return {
    start: when(event.start),
    end: when(event.end),
    allDay: !!event.start?.date && !event.start.dateTime,
    title,
    source: isOurs(event) ? 'busybridge' : 'native',
    busy: event.transparency !== 'transparent',
  };
}

export function sortItems(items: PreviewItem[]): PreviewItem[] {
  return [...items].sort((a, b) =>
    a.start < b.start ? -1 : a.start > b.start ? 1 : a.title < b.title ? -1 : a.title > b.title ? 1 : 0,
  );
}

/** Calendars where each iCalUID is present natively: the same meeting is blocked once (invariant 7). */
export function presence(listings: OriginListing[]): Map<string, PlanCalendar[]> {
  const map = new Map<string, PlanCalendar[]>();
  for (const { calendar, events } of listings) {
    for (const e of events) {
      if (!e.iCalUID || isOurs(e) || isDeleted(e)) continue;
      const list = map.get(e.iCalUID) ?? [];
      if (!list.some((c) => c.id === calendar.id)) list.push(calendar);
      map.set(e.iCalUID, list);
    }
  }
  return map;
}

/** The block `event` (from `origin`) makes on `target` under `policy`, or null: the planner's rules, read-only. */
export function blockFor(
  target: PlanCalendar,
  policy: StoredPolicy | undefined,
  event: GoogleEvent,
  origin: PlanCalendar,
  present: Map<string, PlanCalendar[]>,
): { title: string } | null {
  if (
    origin.id === target.id ||
    isOurs(event) ||
    isDeleted(event) ||
    isIgnoredType(event) ||
    !blocksTime(event, origin)
  )
    return null;
  const alsoOn = (event.iCalUID ? present.get(event.iCalUID) : undefined) ?? [];
  if (alsoOn.some((c) => c.id === target.id)) return null;
  if (alsoOn.some((c) => c.id !== origin.id && outranks(c, origin))) return null; // blocked from where it ranks first
  return blockUnder(policy, event, origin);
}

/**
 * The busy blocks `target` would hold under `policy`, from the expanded occurrences of the user's
 * other calendars in the range. Each occurrence is judged as a single event, as the sync judges a
 * modified one; a series narrowed to weekdays by working hours gives the same occurrences.
 */
export function wouldBeBlocks(
  target: PlanCalendar,
  policy: StoredPolicy | undefined,
  listings: OriginListing[],
  prefix: string,
): PreviewItem[] {
  const present = presence(listings);
  const items: PreviewItem[] = [];
  for (const { calendar, events } of listings) {
    if (calendar.id === target.id || !calendar.active) continue;
    for (const e of events) {
      const shape = blockFor(target, policy, e, calendar, present);
      if (shape) items.push({ ...previewItem(e, `${prefix} ${shape.title}`), source: 'busybridge', busy: true });
    }
  }
  return items;
}

const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Occurrences of one of our weekly BYDAY series (an unavailable block) overlapping [from, to). */
export function expandWeekly(body: EventBody, from: Date, to: Date): PreviewItem[] {
  const days = (/BYDAY=([A-Z,]+)/.exec(body.recurrence?.[0] ?? '')?.[1] ?? '')
    .split(',')
    .map((c) => CODES.indexOf(c) + 1);
  const allDay = !!body.start?.date;
  const zone = allDay ? 'UTC' : (body.start?.timeZone ?? 'UTC');
  const first = allDay
    ? DateTime.fromISO(body.start?.date ?? '', { zone })
    : DateTime.fromISO(body.start?.dateTime ?? '', { zone });
  const firstEnd = allDay
    ? DateTime.fromISO(body.end?.date ?? '', { zone })
    : DateTime.fromISO(body.end?.dateTime ?? '', { zone });
  const length = firstEnd.toMillis() - first.toMillis();
  const out: PreviewItem[] = [];
  let day = DateTime.max(first, DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 7 }));
  day = day.set({ hour: first.hour, minute: first.minute, second: 0 });
  for (; day.toMillis() < to.getTime(); day = day.plus({ days: 1 })) {
    if (day < first || !days.includes(day.weekday)) continue;
    const end = allDay ? day.plus({ days: 1 }) : DateTime.fromMillis(day.toMillis() + length, { zone });
    if (end.toMillis() <= from.getTime()) continue;
    const item = allDay
      ? { start: day.toISODate() as string, end: end.toISODate() as string }
      : { start: day.toUTC().toISO() as string, end: end.toUTC().toISO() as string };
    out.push({ ...item, allDay, title: body.summary ?? '', source: 'busybridge', busy: true });
  }
  return out;
}
