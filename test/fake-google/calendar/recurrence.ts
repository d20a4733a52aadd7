import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { Errors } from '../errors';
import { EventDateTime, EventResource } from '../model';
import { endMs, startMs } from './event-times';

export interface Occurrence {
  /** `{YYYYMMDDTHHMMSSZ}` (UTC) for timed series, `{YYYYMMDD}` for all-day ones. */
  suffix: string;
  originalStartTime: EventDateTime;
  start: EventDateTime;
  end: EventDateTime;
  startMs: number;
  endMs: number;
}

const MAX_OCCURRENCES = 5000;

export function validateRecurrence(lines: string[] | null | undefined, ev: EventResource): void {
  if (!lines?.length) return;
  for (const line of lines) {
    const name = line.split(/[:;]/)[0].toUpperCase();
    if (name === 'DTSTART' || name === 'DTEND') throw Errors.invalid('Invalid recurrence rule.');
    if (!['RRULE', 'EXRULE', 'RDATE', 'EXDATE'].includes(name)) throw Errors.invalid('Invalid recurrence rule.');
    if (name === 'RRULE' || name === 'EXRULE') {
      try {
        RRule.parseString(line.slice(name.length + 1));
      } catch {
        throw Errors.invalid('Invalid recurrence rule.');
      }
    }
  }
  // Expansion needs a zone to keep wall-clock times across DST (fact sheet §2.3).
  if (ev.start?.dateTime && !ev.start.timeZone) throw Errors.required('Missing time zone definition for start time.');
  if (ev.end?.dateTime && !ev.end.timeZone) throw Errors.required('Missing time zone definition for end time.');
}

/**
 * rrule's own tz handling is awkward, so expansion runs on "floating" wall-clock times (a UTC Date whose fields
 * are the local wall time in the series zone) and converts each result back through luxon.
 */
function floating(dt: DateTime): Date {
  return new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
}

function fromFloating(d: Date, zone: string): DateTime {
  return DateTime.fromObject(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    { zone },
  );
}

/** Parses RDATE/EXDATE values into floating times in the series zone. */
function parseDateList(line: string, zone: string, allDay: boolean, startLocal: DateTime): number[] {
  const colon = line.indexOf(':');
  const params = line.slice(0, colon).split(';').slice(1);
  const tzid = params.find((p) => p.toUpperCase().startsWith('TZID='))?.slice(5);
  return line
    .slice(colon + 1)
    .split(',')
    .filter(Boolean)
    .map((v) => {
      const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(v.trim());
      if (!m) throw Errors.invalid('Invalid recurrence rule.');
      const [, y, mo, d, h, mi, s, z] = m;
      if (allDay || h === undefined) {
        const base = DateTime.fromObject({
          year: +y,
          month: +mo,
          day: +d,
          hour: startLocal.hour,
          minute: startLocal.minute,
          second: startLocal.second,
        });
        return floating(allDay ? base.startOf('day') : base).getTime();
      }
      const fields = { year: +y, month: +mo, day: +d, hour: +h, minute: +mi, second: +s };
      const instant = z
        ? DateTime.fromObject(fields, { zone: 'UTC' })
        : DateTime.fromObject(fields, { zone: tzid ?? zone });
      return floating(instant.setZone(zone)).getTime();
    });
}

function ruleDates(
  line: string,
  name: string,
  dtstart: Date,
  zone: string,
  allDay: boolean,
  winStart: Date,
  winEnd: Date,
): number[] {
  const raw = line.slice(name.length + 1);
  const opts = RRule.parseString(raw);
  const untilRaw = /UNTIL=([0-9TZ]+)/i.exec(raw)?.[1];
  if (opts.until && untilRaw) {
    if (allDay)
      opts.until = new Date(
        Date.UTC(opts.until.getUTCFullYear(), opts.until.getUTCMonth(), opts.until.getUTCDate(), 23, 59, 59),
      );
    else if (/^\d{8}$/.test(untilRaw)) opts.until = new Date(opts.until.getTime() + 86_399_000);
    else opts.until = floating(DateTime.fromJSDate(opts.until).setZone(zone));
  }
  const rule = new RRule({ ...opts, dtstart, tzid: null });
  const out: number[] = [];
  rule.between(winStart, winEnd, true, (d) => {
    out.push(d.getTime());
    return out.length < MAX_OCCURRENCES;
  });
  return out;
}

/** Occurrences of a series whose interval may touch [fromMs, toMs). Exceptions are not applied here. */
export function expandSeries(parent: EventResource, calendarTz: string, fromMs: number, toMs: number): Occurrence[] {
  const allDay = Boolean(parent.start?.date);
  const zone = allDay ? 'UTC' : parent.start?.timeZone || calendarTz;
  const s0 = startMs(parent, calendarTz);
  const durationMs = endMs(parent, calendarTz) - s0;
  const startLocal = allDay
    ? DateTime.fromISO(parent.start!.date!, { zone: 'UTC' })
    : DateTime.fromMillis(s0, { zone });
  const dtstart = floating(startLocal);
  // A day of slack each side covers zone offsets; exact filtering happens on real instants below.
  const pad = 2 * 86_400_000 + Math.max(durationMs, 0);
  const winStart = new Date(Math.max(dtstart.getTime(), fromMs - pad));
  const winEnd = new Date(toMs + pad);
  const lines = parent.recurrence ?? [];
  const include = new Set<number>();
  const exclude = new Set<number>();
  for (const line of lines) {
    const name = line.split(/[:;]/)[0].toUpperCase();
    if (name === 'RRULE') ruleDates(line, name, dtstart, zone, allDay, winStart, winEnd).forEach((t) => include.add(t));
    if (name === 'EXRULE')
      ruleDates(line, name, dtstart, zone, allDay, winStart, winEnd).forEach((t) => exclude.add(t));
    if (name === 'RDATE') parseDateList(line, zone, allDay, startLocal).forEach((t) => include.add(t));
    if (name === 'EXDATE') parseDateList(line, zone, allDay, startLocal).forEach((t) => exclude.add(t));
  }
  if (!lines.some((l) => /^RRULE/i.test(l))) include.add(dtstart.getTime());
  const out: Occurrence[] = [];
  for (const t of [...include].sort((a, b) => a - b)) {
    if (exclude.has(t)) continue;
    const occ = allDay ? allDayOccurrence(t, durationMs, calendarTz) : timedOccurrence(t, zone, durationMs, parent);
    if (occ.endMs > fromMs && occ.startMs < toMs) out.push(occ);
    else if (occ.startMs === occ.endMs && occ.startMs >= fromMs && occ.startMs < toMs) out.push(occ);
    if (out.length >= MAX_OCCURRENCES) break;
  }
  return out;
}

function timedOccurrence(floatingMs: number, zone: string, durationMs: number, parent: EventResource): Occurrence {
  const local = fromFloating(new Date(floatingMs), zone);
  const sMs = local.toMillis();
  const eMs = sMs + durationMs;
  const endZone = parent.end?.timeZone || zone;
  const iso = (ms: number, z: string) => DateTime.fromMillis(ms, { zone: z }).toISO({ suppressMilliseconds: true })!;
  const start = { dateTime: iso(sMs, zone), timeZone: zone };
  return {
    suffix: DateTime.fromMillis(sMs, { zone: 'UTC' }).toFormat("yyyyMMdd'T'HHmmss'Z'"),
    originalStartTime: { ...start },
    start,
    end: { dateTime: iso(eMs, endZone), timeZone: endZone },
    startMs: sMs,
    endMs: eMs,
  };
}

function allDayOccurrence(floatingMs: number, durationMs: number, calendarTz: string): Occurrence {
  const d = DateTime.fromMillis(floatingMs, { zone: 'UTC' });
  const end = d.plus({ days: Math.round(durationMs / 86_400_000) });
  const onCalendar = (x: DateTime) => DateTime.fromISO(x.toISODate()!, { zone: calendarTz }).toMillis();
  return {
    suffix: d.toFormat('yyyyMMdd'),
    originalStartTime: { date: d.toISODate()! },
    start: { date: d.toISODate()! },
    end: { date: end.toISODate()! },
    startMs: onCalendar(d),
    endMs: onCalendar(end),
  };
}

/** `{seriesId}_{suffix}`; series ids never contain '_' when client-chosen, so split on the last one. */
export function parseInstanceId(id: string): { seriesId: string; suffix: string } | undefined {
  const m = /^(.+)_(\d{8}(?:T\d{6}Z)?)$/.exec(id);
  return m ? { seriesId: m[1], suffix: m[2] } : undefined;
}

/** Finds the occurrence a suffix names, if the series (still) produces it. */
export function findOccurrence(parent: EventResource, calendarTz: string, suffix: string): Occurrence | undefined {
  const date = DateTime.fromFormat(suffix.slice(0, 8), 'yyyyMMdd', { zone: 'UTC' });
  if (!date.isValid) return undefined;
  const from = date.minus({ days: 2 }).toMillis();
  const to = date.plus({ days: 3 }).toMillis();
  return expandSeries(parent, calendarTz, from, to).find((o) => o.suffix === suffix);
}
