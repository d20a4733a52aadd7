import { DateTime } from 'luxon';
import { Graph, GraphError } from '../errors';
import { DateTimeTimeZone } from '../model';

/** Windows zone names Graph answers in originalStartTimeZone, with their IANA equivalents. */
const WINDOWS_TO_IANA: Record<string, string> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'India Standard Time': 'Asia/Kolkata',
  'AUS Eastern Standard Time': 'Australia/Sydney',
};
const IANA_TO_WINDOWS = Object.fromEntries(
  Object.entries(WINDOWS_TO_IANA)
    .filter(([w]) => w !== 'Coordinated Universal Time')
    .map(([w, i]) => [i, w]),
);

export const CUSTOM_ZONE = 'tzone://Microsoft/Custom';

/** IANA zone for a Windows or IANA name; undefined when neither. */
export function ianaZone(name: string): string | undefined {
  if (WINDOWS_TO_IANA[name]) return WINDOWS_TO_IANA[name];
  return DateTime.now().setZone(name).isValid ? name : undefined;
}

/** The Windows name Graph reports for a zone (IANA names without a mapping are echoed). */
export function windowsName(iana: string): string {
  return IANA_TO_WINDOWS[iana] ?? iana;
}

/** Parses a dateTimeTimeZone; the wall time is read in its zone (an offset in dateTime wins, as in Graph). */
export function parseDateTimeTimeZone(v: unknown, field: string): { ms: number; zone: string; local: DateTime } {
  const d = v as Partial<DateTimeTimeZone> | undefined;
  if (!d || typeof d !== 'object' || typeof d.dateTime !== 'string')
    throw Graph.propertyValidation(`${field} is required and must have a dateTime.`);
  const zone = ianaZone(d.timeZone ?? 'UTC');
  if (!zone)
    throw new GraphError(
      400,
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${d.timeZone}'.`,
    );
  const local = DateTime.fromISO(d.dateTime, { zone, setZone: false });
  if (!local.isValid)
    throw Graph.requestBodyRead(
      `Cannot convert the literal '${d.dateTime}' to the expected type 'Edm.DateTimeOffset'.`,
    );
  return { ms: local.toMillis(), zone, local };
}

/** Graph's answer format: `2026-12-01T10:00:00.0000000` plus the zone name the caller asked for. */
export function formatDateTime(ms: number, preferZone: string | undefined): DateTimeTimeZone {
  const name = preferZone ?? 'UTC';
  const zone = ianaZone(name) ?? 'UTC';
  const dt = DateTime.fromMillis(ms, { zone });
  return { dateTime: `${dt.toFormat("yyyy-LL-dd'T'HH:mm:ss")}.0000000`, timeZone: name };
}

/** Query-string instants (`startDateTime`): ISO 8601, with or without an offset (then UTC). */
export function parseQueryInstant(v: string | undefined, name: string): number {
  if (!v)
    throw Graph.badQuery(
      `This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.`,
    );
  const dt = DateTime.fromISO(v, { zone: 'UTC' });
  if (!dt.isValid) throw Graph.badQuery(`The parameter '${name}' does not represent a valid date time: '${v}'.`);
  return dt.toMillis();
}

export function isoUtc(ms: number): string {
  return `${DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat("yyyy-LL-dd'T'HH:mm:ss")}.0000000Z`;
}
