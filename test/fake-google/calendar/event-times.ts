import { DateTime } from 'luxon';
import { Errors } from '../errors';
import { EventDateTime, EventResource } from '../model';

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Instant of a start/end. All-day dates sit on the calendar's time zone (fact sheet §2.3). */
export function toMs(dt: EventDateTime | undefined, calendarTz: string): number {
  if (!dt) return NaN;
  if (dt.date) return DateTime.fromISO(dt.date, { zone: calendarTz }).toMillis();
  if (!dt.dateTime) return NaN;
  if (HAS_OFFSET.test(dt.dateTime)) return DateTime.fromISO(dt.dateTime, { setZone: true }).toMillis();
  return DateTime.fromISO(dt.dateTime, { zone: dt.timeZone || calendarTz }).toMillis();
}

export function startMs(ev: EventResource, calendarTz: string): number {
  return toMs(ev.start ?? undefined, calendarTz);
}

export function endMs(ev: EventResource, calendarTz: string): number {
  return toMs(ev.end ?? undefined, calendarTz);
}

export function isAllDay(ev: EventResource): boolean {
  return Boolean(ev.start?.date);
}

/** RFC 3339 query parameter (timeMin/timeMax/updatedMin): an offset is mandatory. */
export function parseQueryTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const dt = DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid || !HAS_OFFSET.test(value)) throw Errors.badRequest(`Bad Request: invalid ${name}`);
  return dt.toMillis();
}

function validateOne(dt: EventDateTime | null | undefined, which: 'start' | 'end'): void {
  if (!dt || (!dt.date && !dt.dateTime)) throw Errors.required(`Missing ${which} time.`);
  if (dt.date && dt.dateTime) throw Errors.invalid(`Invalid ${which} time.`);
  if (dt.date && !DateTime.fromISO(dt.date).isValid) throw Errors.invalid(`Invalid ${which} time.`);
  if (dt.dateTime && !DateTime.fromISO(dt.dateTime, { setZone: true }).isValid)
    throw Errors.invalid(`Invalid ${which} time.`);
  if (dt.timeZone && !DateTime.now().setZone(dt.timeZone).isValid)
    throw Errors.invalid(`Invalid time zone definition for ${which} time.`);
}

export function validateTimes(ev: EventResource, calendarTz: string): void {
  validateOne(ev.start, 'start');
  validateOne(ev.end, 'end');
  if (Boolean(ev.start?.date) !== Boolean(ev.end?.date)) throw Errors.invalid('Invalid start time.');
  if (endMs(ev, calendarTz) < startMs(ev, calendarTz)) throw Errors.timeRangeEmpty('end');
}
