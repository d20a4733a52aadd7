import { DateTime } from 'luxon';
import { contentHash } from './bodies';
import { copyId } from './copy-ids';
import { KIND_KEY, MARKER_KEY, MARKER_VALUE, ORIGIN_KEY, USER_KEY } from './eligibility';
import { Desired } from './plan-common';
import { minutesOf, StoredPolicy } from './policy';
import { EventBody, GoogleEvent } from './types';

/** The kind stored on "unavailable outside hours" blocks: planned per calendar, not per origin event. */
export const UNAVAILABLE_KIND = 'unavailable';
/** Series start here when a stored policy lacks its own start week (it is set whenever one is saved). */
const FALLBACK_SINCE = '2026-01-05';
const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export function isUnavailableBlock(event: GoogleEvent): boolean {
  return event.extendedProperties?.private?.[KIND_KEY] === UNAVAILABLE_KIND;
}

export interface UnavailableTarget {
  userId: number;
  calendarId: number;
  prefix: string;
  idKey: Buffer;
}

function byDay(days: number[]): string {
  return days.map((d) => CODES[d - 1]).join(',');
}

/** First day on or after `since` whose weekday is one of `days`. */
function firstOn(since: DateTime, days: number[]): DateTime {
  let day = since;
  while (!days.includes(day.weekday)) day = day.plus({ days: 1 });
  return day;
}

function body(t: UnavailableTarget, start: EventBody['start'], end: EventBody['end'], days: number[]): EventBody {
  return {
    summary: `${t.prefix} Unavailable`,
    start,
    end,
    recurrence: [`RRULE:FREQ=WEEKLY;BYDAY=${byDay(days)}`],
    transparency: 'opaque',
    visibility: 'private',
    status: 'confirmed',
    reminders: { useDefault: false },
    extendedProperties: {
      private: {
        [MARKER_KEY]: MARKER_VALUE,
        [KIND_KEY]: UNAVAILABLE_KIND,
        [USER_KEY]: String(t.userId),
        [ORIGIN_KEY]: String(t.calendarId),
      },
    },
  };
}

function timed(day: DateTime, fromMinute: number, toMinute: number, zone: string): Pick<EventBody, 'start' | 'end'> {
  const iso = (m: number) =>
    day
      .startOf('day')
      .set({ hour: Math.floor(m / 60) % 24, minute: m % 60 })
      .plus({ days: m >= 1440 ? 1 : 0 })
      .toISO({ suppressMilliseconds: true }) as string;
  return { start: { dateTime: iso(fromMinute), timeZone: zone }, end: { dateTime: iso(toMinute), timeZone: zone } };
}

/**
 * The weekly series that show a client the time outside working hours as unavailable: whole days off
 * as one all-day series, and on working days the time before and after the hours as two timed series
 * in the hours' zone. Wall-clock times, so they keep their hours across clock changes (a timed piece
 * that spans the change itself keeps its length instead). Deterministic ids: one per piece and calendar.
 */
export function planUnavailable(policy: StoredPolicy | undefined, t: UnavailableTarget): Desired[] {
  const hours = policy?.workingHours;
  if (!policy?.unavailableOutsideHours || !hours) return [];
  const zone = hours.timeZone;
  const since = DateTime.fromISO(policy.since ?? FALLBACK_SINCE, { zone });
  const off = [1, 2, 3, 4, 5, 6, 7].filter((d) => !hours.days.includes(d));
  const pieces: Array<{ name: string; days: number[]; times: Pick<EventBody, 'start' | 'end'> }> = [];
  if (off.length > 0) {
    const day = firstOn(since, off);
    pieces.push({
      name: 'off-days',
      days: off,
      times: { start: { date: day.toISODate() }, end: { date: day.plus({ days: 1 }).toISODate() } },
    });
  }
  const open = minutesOf(hours.start);
  const close = minutesOf(hours.end);
  const first = firstOn(since, hours.days);
  if (open > 0) pieces.push({ name: 'before-hours', days: hours.days, times: timed(first, 0, open, zone) });
  if (close < 1440) pieces.push({ name: 'after-hours', days: hours.days, times: timed(first, close, 1440, zone) });
  return pieces.map((p) => {
    const b = body(t, p.times.start, p.times.end, p.days);
    const eventId = copyId(t.idKey, {
      userId: t.userId,
      originCalendarId: t.calendarId,
      originEventId: `unavailable:${p.name}`,
      targetCalendarId: t.calendarId,
    });
    return { eventId, body: b, hash: contentHash(b) };
  });
}
