import { DateTime } from 'luxon';
import { Frequency, RRule, Weekday } from 'rrule';
import { Graph } from '../errors';
import { PatternedRecurrence } from '../model';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const INDEX: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** Properties each pattern type may carry; anything else must be absent or left at its default. */
const PATTERN_FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  daily: { required: ['interval'], optional: [] },
  weekly: { required: ['interval', 'daysOfWeek'], optional: ['firstDayOfWeek'] },
  absoluteMonthly: { required: ['interval', 'dayOfMonth'], optional: [] },
  relativeMonthly: { required: ['interval', 'daysOfWeek'], optional: ['index'] },
  absoluteYearly: { required: ['interval', 'dayOfMonth', 'month'], optional: [] },
  relativeYearly: { required: ['interval', 'daysOfWeek', 'month'], optional: ['index'] },
};
const PATTERN_KEYS = ['type', 'interval', 'month', 'dayOfMonth', 'daysOfWeek', 'firstDayOfWeek', 'index'];
const RANGE_KEYS = ['type', 'startDate', 'endDate', 'recurrenceTimeZone', 'numberOfOccurrences'];
const RANGE_FIELDS: Record<string, string[]> = { endDate: ['endDate'], noEnd: [], numbered: ['numberOfOccurrences'] };

/** What serializers send for properties a pattern does not use; Graph tolerates these. */
function isDefault(key: string, v: unknown): boolean {
  if (v === null || v === undefined || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return (
    (key === 'index' && v === 'first') ||
    (key === 'firstDayOfWeek' && v === 'sunday') ||
    (key === 'endDate' && v === '0001-01-01')
  );
}

const bad = (msg: string) => Graph.propertyValidation(msg);

function checkKnown(obj: Record<string, unknown>, known: string[], type: string): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k) && !k.startsWith('@odata'))
      throw Graph.requestBodyRead(
        `The property '${k}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type.`,
      );
  }
}

function checkPattern(p: Record<string, unknown>): void {
  checkKnown(p, PATTERN_KEYS, 'microsoft.graph.recurrencePattern');
  const spec = PATTERN_FIELDS[String(p.type)];
  if (!spec) throw Graph.requestBodyRead(`Requested value '${String(p.type)}' was not found.`);
  for (const k of spec.required)
    if (isDefault(k, p[k])) throw bad(`Recurrence pattern '${String(p.type)}' requires '${k}'.`);
  for (const k of PATTERN_KEYS.filter(
    (k) => k !== 'type' && !spec.required.includes(k) && !spec.optional.includes(k),
  )) {
    if (!isDefault(k, p[k])) throw bad(`Recurrence pattern '${String(p.type)}' does not support '${k}'.`);
  }
  if (!Number.isInteger(p.interval) || (p.interval as number) < 1 || (p.interval as number) > 99)
    throw bad('The interval must be a whole number from 1 to 99.');
  if (
    p.daysOfWeek !== undefined &&
    p.daysOfWeek !== null &&
    (!Array.isArray(p.daysOfWeek) || p.daysOfWeek.some((d) => !DAYS.includes(String(d))))
  )
    throw bad('Invalid daysOfWeek.');
  if (
    !isDefault('dayOfMonth', p.dayOfMonth) &&
    !(Number.isInteger(p.dayOfMonth) && (p.dayOfMonth as number) >= 1 && (p.dayOfMonth as number) <= 31)
  )
    throw bad('Invalid dayOfMonth.');
  if (
    !isDefault('month', p.month) &&
    !(Number.isInteger(p.month) && (p.month as number) >= 1 && (p.month as number) <= 12)
  )
    throw bad('Invalid month.');
  if (!isDefault('index', p.index) && INDEX[String(p.index)] === undefined) throw bad('Invalid index.');
  if (!isDefault('firstDayOfWeek', p.firstDayOfWeek) && !DAYS.includes(String(p.firstDayOfWeek)))
    throw bad('Invalid firstDayOfWeek.');
}

function checkRange(r: Record<string, unknown>, masterLocalDate: string): void {
  checkKnown(r, RANGE_KEYS, 'microsoft.graph.recurrenceRange');
  const own = RANGE_FIELDS[String(r.type)];
  if (!own) throw Graph.requestBodyRead(`Requested value '${String(r.type)}' was not found.`);
  const date = (v: unknown) => typeof v === 'string' && DateTime.fromISO(v).isValid && /^\d{4}-\d\d-\d\d$/.test(v);
  if (!date(r.startDate)) throw bad('The recurrence range needs a startDate (yyyy-MM-dd).');
  if (r.startDate !== masterLocalDate)
    throw bad('The start date of the recurrence range must be the same as the start date of the event.');
  for (const k of own) if (isDefault(k, r[k])) throw bad(`Recurrence range '${String(r.type)}' requires '${k}'.`);
  for (const k of ['endDate', 'numberOfOccurrences'].filter((k) => !own.includes(k))) {
    if (!isDefault(k, r[k])) throw bad(`Recurrence range '${String(r.type)}' does not support '${k}'.`);
  }
  if (r.type === 'endDate' && (!date(r.endDate) || String(r.endDate) < String(r.startDate)))
    throw bad('The recurrence range endDate must be on or after its startDate.');
  if (r.type === 'numbered' && !(Number.isInteger(r.numberOfOccurrences) && (r.numberOfOccurrences as number) >= 1))
    throw bad('numberOfOccurrences must be a positive whole number.');
}

/** Validates a patternedRecurrence as Graph's REC pages describe it; answers the stored copy. */
export function validateRecurrence(v: unknown, masterLocalDate: string): PatternedRecurrence {
  const rec = v as { pattern?: Record<string, unknown>; range?: Record<string, unknown> } | null;
  if (!rec || typeof rec !== 'object' || !rec.pattern || !rec.range)
    throw bad('A recurrence needs both a pattern and a range.');
  checkKnown(rec as Record<string, unknown>, ['pattern', 'range'], 'microsoft.graph.patternedRecurrence');
  checkPattern(rec.pattern);
  checkRange(rec.range, masterLocalDate);
  return JSON.parse(JSON.stringify(rec)) as PatternedRecurrence;
}

const WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];
const weekday = (d: unknown): Weekday => WEEKDAYS[DAYS.indexOf(String(d))];
const FREQ: Record<string, Frequency> = {
  daily: RRule.DAILY,
  weekly: RRule.WEEKLY,
  absoluteMonthly: RRule.MONTHLY,
  relativeMonthly: RRule.MONTHLY,
  absoluteYearly: RRule.YEARLY,
  relativeYearly: RRule.YEARLY,
};

/**
 * Original start instants of a series within [fromMs, toMs). Wall-clock times are expanded as "floating" UTC
 * dates (rrule has no zones) and then placed in the series' zone, so DST keeps the local time.
 */
export function seriesStarts(rec: PatternedRecurrence, firstLocal: DateTime, fromMs: number, toMs: number): number[] {
  const p = rec.pattern;
  const r = rec.range;
  const floating = (d: DateTime) => new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
  const opts: Partial<ConstructorParameters<typeof RRule>[0]> = {
    freq: FREQ[p.type],
    interval: p.interval,
    dtstart: floating(firstLocal),
  };
  if (Array.isArray(p.daysOfWeek) && p.daysOfWeek.length) opts.byweekday = p.daysOfWeek.map(weekday);
  if (p.type === 'weekly') opts.wkst = weekday(p.firstDayOfWeek ?? 'sunday');
  if (p.type.startsWith('absolute')) opts.bymonthday = p.dayOfMonth as number;
  if (p.type.endsWith('Yearly')) opts.bymonth = p.month as number;
  if (p.type.startsWith('relative')) opts.bysetpos = INDEX[String(p.index ?? 'first')];
  if (r.type === 'numbered') opts.count = r.numberOfOccurrences as number;
  if (r.type === 'endDate') opts.until = floating(DateTime.fromISO(`${String(r.endDate)}T23:59:59`, { zone: 'UTC' }));
  const pad = 2 * 86_400_000;
  const local = new RRule(opts).between(new Date(fromMs - pad), new Date(toMs + pad), true);
  return local
    .map((d) =>
      DateTime.fromObject(
        {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
        },
        { zone: firstLocal.zoneName ?? 'UTC' },
      ).toMillis(),
    )
    .filter((ms) => ms < toMs && ms >= fromMs - pad);
}
