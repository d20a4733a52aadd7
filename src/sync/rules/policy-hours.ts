import { DateTime } from 'luxon';
import type { WorkingHours } from './policy';
import { GoogleEvent } from './types';

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Does the instant range [startMs, endMs) overlap the working hours of any day it touches? */
export function overlapsHours(startMs: number, endMs: number, hours: WorkingHours): boolean {
  const end = Math.max(endMs, startMs + 1); // a zero-length event still sits at one instant
  let day = DateTime.fromMillis(startMs, { zone: hours.timeZone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromMillis(end, { zone: hours.timeZone });
  for (; day <= last; day = day.plus({ days: 1 })) {
    if (!hours.days.includes(day.weekday)) continue;
    // Built from wall-clock fields, so a working day keeps its hours across a clock change.
    const open = day
      .set({ hour: 0, minute: 0 })
      .plus({ minutes: minutes(hours.start) })
      .toMillis();
    const close = day
      .set({ hour: 0, minute: 0 })
      .plus({ minutes: minutes(hours.end) })
      .toMillis();
    if (startMs < close && end > open) return true;
  }
  return false;
}

/** All-day dates [startDate, endDate): any of them a working day. */
function datesOverlap(startDate: string, endDate: string, hours: WorkingHours): boolean {
  let day = DateTime.fromISO(startDate, { zone: 'UTC' });
  const end = DateTime.fromISO(endDate, { zone: 'UTC' });
  if (!day.isValid) return true;
  do {
    if (hours.days.includes(day.weekday)) return true;
    day = day.plus({ days: 1 });
  } while (day < end);
  return false;
}

/** A single event (or one occurrence): does it overlap the working hours? Unreadable times count as yes. */
export function eventInHours(event: GoogleEvent, hours: WorkingHours): boolean {
  if (event.start?.date && !event.start.dateTime)
    return datesOverlap(event.start.date, event.end?.date ?? event.start.date, hours);
  const start = Date.parse(event.start?.dateTime ?? '');
  const end = Date.parse(event.end?.dateTime ?? '');
  if (Number.isNaN(start)) return true;
  return overlapsHours(start, Number.isNaN(end) ? start : end, hours);
}

interface SeriesStart {
  first: DateTime;
  allDay: boolean;
  /** Length of one occurrence: milliseconds (timed) or days (all-day). */
  length: number;
}

function seriesStart(event: GoogleEvent): SeriesStart | null {
  if (event.start?.date && !event.start.dateTime) {
    const first = DateTime.fromISO(event.start.date, { zone: 'UTC' });
    const end = DateTime.fromISO(event.end?.date ?? event.start.date, { zone: 'UTC' });
    return first.isValid ? { first, allDay: true, length: Math.max(1, end.diff(first, 'days').days) } : null;
  }
  const zone = event.start?.timeZone ?? 'UTC';
  const first = DateTime.fromISO(event.start?.dateTime ?? '', { setZone: false, zone });
  const end = Date.parse(event.end?.dateTime ?? '');
  return first.isValid ? { first, allDay: false, length: Number.isNaN(end) ? 0 : end - first.toMillis() } : null;
}

/** Weekdays (in the series' own zone) whose occurrences overlap the working hours, judged in the first week. */
function allowedWeekdays(s: SeriesStart, hours: WorkingHours): Set<number> {
  const allowed = new Set<number>();
  for (let k = 0; k < 7; k++) {
    const at = s.first.plus({ days: k });
    const fits = s.allDay
      ? datesOverlap(at.toISODate() as string, at.plus({ days: s.length }).toISODate() as string, hours)
      : overlapsHours(at.toMillis(), at.toMillis() + s.length, hours);
    if (fits) allowed.add(at.weekday);
  }
  return allowed;
}

function narrowRule(line: string, allowed: Set<number>, firstWeekday: number): string | null {
  const parts = line.slice('RRULE:'.length).split(';');
  const get = (name: string) => parts.find((p) => p.toUpperCase().startsWith(`${name}=`))?.slice(name.length + 1);
  const freq = (get('FREQ') ?? '').toUpperCase();
  const byDay = get('BYDAY');
  const code = (entry: string) => WEEKDAY_CODES.indexOf(entry.slice(-2).toUpperCase()) + 1;
  if (byDay) {
    const kept = byDay.split(',').filter((e) => allowed.has(code(e)));
    if (kept.length === 0) return null;
    return `RRULE:${parts.map((p) => (p.toUpperCase().startsWith('BYDAY=') ? `BYDAY=${kept.join(',')}` : p)).join(';')}`;
  }
  // A daily rule takes a BYDAY limit; other rules without one are judged by their first weekday.
  if (freq === 'DAILY')
    return `${line};BYDAY=${[...allowed]
      .sort()
      .map((d) => WEEKDAY_CODES[d - 1])
      .join(',')}`;
  return allowed.has(firstWeekday) ? line : null;
}

function exdateOf(s: SeriesStart, zone: string): string {
  if (s.allDay) return `EXDATE;VALUE=DATE:${s.first.toFormat('yyyyMMdd')}`;
  if (zone === 'UTC') return `EXDATE:${s.first.toUTC().toFormat("yyyyMMdd'T'HHmmss")}Z`;
  return `EXDATE;TZID=${zone}:${s.first.toFormat("yyyyMMdd'T'HHmmss")}`;
}

/**
 * Working hours applied to an event: 'unchanged' when it (every weekday of a series) overlaps them,
 * null when it never does, else the series' recurrence narrowed to the weekdays that do (a BYDAY limit,
 * and the first occurrence excluded when it falls on another day). The narrowed series keeps the
 * origin's start times, so its occurrences keep the origin's instance ids. Weekdays are judged in the
 * series' first week: a series in another zone than the hours can be off by a day around a clock change.
 */
export function restrictToHours(event: GoogleEvent, hours: WorkingHours): 'unchanged' | string[] | null {
  const recurrence = event.recurrence ?? [];
  if (recurrence.length === 0) return eventInHours(event, hours) ? 'unchanged' : null;
  const s = seriesStart(event);
  if (!s) return 'unchanged';
  const allowed = allowedWeekdays(s, hours);
  if (allowed.size === 7) return 'unchanged';
  if (allowed.size === 0) return null;
  const out: string[] = [];
  let rules = 0;
  for (const line of recurrence) {
    if (!line.toUpperCase().startsWith('RRULE:')) {
      out.push(line);
      continue;
    }
    const narrowed = narrowRule(line, allowed, s.first.weekday);
    if (narrowed) {
      out.push(narrowed);
      rules++;
    }
  }
  if (rules === 0) return allowed.has(s.first.weekday) ? [] : null;
  if (!allowed.has(s.first.weekday)) out.push(exdateOf(s, event.start?.timeZone ?? 'UTC'));
  return out;
}
