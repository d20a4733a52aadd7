import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { GoogleEvent, SeriesInfo } from './types';

/** The original start an instance id's suffix names: `YYYYMMDDTHHMMSSZ` (UTC) or `YYYYMMDD` (all-day). */
export function suffixStart(suffix: string): { ms: number; allDay: boolean } | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(suffix);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  return { ms: Date.UTC(+y, +mo - 1, +d, +(h ?? 0), +(mi ?? 0), +(s ?? 0)), allDay: h === undefined };
}

/**
 * rrule expands in "floating" time: a UTC Date whose fields are the wall-clock time in the series zone,
 * so a weekly 9:00 stays 9:00 across DST (the way Google expands).
 */
function floating(dt: DateTime): number {
  return Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second);
}

function dateList(line: string, zone: string, allDay: boolean, startLocal: DateTime): number[] {
  const colon = line.indexOf(':');
  const tzid = line
    .slice(0, colon)
    .split(';')
    .find((p) => p.toUpperCase().startsWith('TZID='))
    ?.slice(5);
  return line
    .slice(colon + 1)
    .split(',')
    .filter(Boolean)
    .flatMap((v) => {
      const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(v.trim());
      if (!m) return [];
      const [, y, mo, d, h, mi, s, z] = m;
      if (allDay || h === undefined) {
        const base = DateTime.fromObject(
          {
            year: +y,
            month: +mo,
            day: +d,
            hour: allDay ? 0 : startLocal.hour,
            minute: allDay ? 0 : startLocal.minute,
            second: allDay ? 0 : startLocal.second,
          },
          { zone: 'UTC' },
        );
        return [floating(base)];
      }
      const fields = { year: +y, month: +mo, day: +d, hour: +h, minute: +mi, second: +s };
      return [floating(DateTime.fromObject(fields, { zone: z ? 'UTC' : (tzid ?? zone) }).setZone(zone))];
    });
}

function ruleHits(raw: string, dtstart: Date, zone: string, allDay: boolean, at: number): boolean {
  let opts;
  try {
    opts = RRule.parseString(raw);
  } catch {
    return true; // a rule we cannot read: never call its instances orphans
  }
  const untilRaw = /UNTIL=([0-9TZ]+)/i.exec(raw)?.[1];
  if (opts.until && untilRaw) {
    const u = opts.until;
    if (allDay || /^\d{8}$/.test(untilRaw))
      opts.until = new Date(Date.UTC(u.getUTCFullYear(), u.getUTCMonth(), u.getUTCDate(), 23, 59, 59));
    else opts.until = new Date(floating(DateTime.fromJSDate(u).setZone(zone)));
  }
  const rule = new RRule({ ...opts, dtstart, tzid: null });
  return rule.between(new Date(at), new Date(at), true).length > 0;
}

/**
 * Does the series (still) produce the instance named by `suffix`? False after a "this and following" trim
 * (UNTIL/COUNT), a start moved past it, or an EXDATE: such an exception is a leftover, not an instance.
 */
export function seriesProduces(series: GoogleEvent, suffix: string): boolean {
  const at = suffixStart(suffix);
  if (!at) return true;
  const allDay = !!series.start?.date && !series.start?.dateTime;
  if (allDay !== at.allDay) return false;
  const zone = allDay ? 'UTC' : (series.start?.timeZone ?? 'UTC');
  const startLocal = allDay
    ? DateTime.fromISO(series.start?.date ?? '', { zone: 'UTC' })
    : DateTime.fromISO(series.start?.dateTime ?? '', { zone });
  if (!startLocal.isValid) return true;
  const dtstart = floating(startLocal);
  const target = floating(DateTime.fromMillis(at.ms, { zone: 'UTC' }).setZone(zone));
  const lines = series.recurrence ?? [];
  const name = (l: string) => l.split(/[:;]/)[0].toUpperCase();
  if (lines.filter((l) => name(l) === 'EXDATE').some((l) => dateList(l, zone, allDay, startLocal).includes(target)))
    return false;
  if (lines.filter((l) => name(l) === 'RDATE').some((l) => dateList(l, zone, allDay, startLocal).includes(target)))
    return true;
  if (target === dtstart) return true;
  if (target < dtstart) return false;
  const rules = lines.filter((l) => name(l) === 'RRULE');
  return rules.some((l) => ruleHits(l.slice(6), new Date(dtstart), zone, allDay, target));
}

/**
 * Does the origin calendar show this occurrence of the series? What events.instances listed, where the engine
 * asked; before that window (or when it could not ask) the series' own rule decides.
 */
export function seriesShows(series: SeriesInfo, suffix: string): boolean {
  if (!series.event) return false;
  const at = suffixStart(suffix);
  if (series.shown && at && at.ms >= series.shown.fromMs) return series.shown.suffixes.has(suffix);
  return seriesProduces(series.event, suffix);
}
