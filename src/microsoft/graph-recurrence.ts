/**
 * Graph's patternedRecurrence <-> RFC 5545 RRULE, where one can express the other. What a pattern cannot say
 * (BYHOUR, BYSETPOS other than an ordinal weekday, several month days, EXDATE/RDATE lines) translates to null:
 * the caller writes such a series as single occurrences instead.
 */
export interface GraphPattern {
  type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
  interval: number;
  daysOfWeek?: string[];
  firstDayOfWeek?: string;
  dayOfMonth?: number;
  month?: number;
  index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
}

export interface GraphRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}

export interface PatternedRecurrence {
  pattern: GraphPattern;
  range: GraphRange;
}

const DAYS: Record<string, string> = {
  SU: 'sunday',
  MO: 'monday',
  TU: 'tuesday',
  WE: 'wednesday',
  TH: 'thursday',
  FR: 'friday',
  SA: 'saturday',
};
const DAY_CODES = Object.fromEntries(Object.entries(DAYS).map(([k, v]) => [v, k]));
const INDEX: Record<string, GraphPattern['index']> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '-1': 'last',
};
const INDEX_NUM = Object.fromEntries(Object.entries(INDEX).map(([k, v]) => [v, k]));
const KNOWN = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'WKST', 'BYSETPOS']);

function parts(rrule: string): Record<string, string> | null {
  const body = rrule.replace(/^RRULE:/i, '');
  const out: Record<string, string> = {};
  for (const kv of body.split(';')) {
    const [k, v] = kv.split('=');
    if (!k || v === undefined || !KNOWN.has(k.toUpperCase())) return null;
    out[k.toUpperCase()] = v.toUpperCase();
  }
  return out;
}

/** `2TU` or `BYDAY=TU;BYSETPOS=2` -> one weekday with an ordinal; plain weekdays have none. */
function weekdays(p: Record<string, string>): { days: string[]; index?: GraphPattern['index'] } | null {
  if (!p.BYDAY) return { days: [] };
  const items = p.BYDAY.split(',').map((d) => /^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(d));
  if (items.some((m) => !m)) return null;
  const ordinals = new Set(items.map((m) => m![1] ?? p.BYSETPOS ?? ''));
  if (ordinals.size > 1) return null;
  const ordinal = [...ordinals][0].replace('+', '');
  if (ordinal && !INDEX[ordinal]) return null;
  return { days: items.map((m) => DAYS[m![2]]), ...(ordinal ? { index: INDEX[ordinal] } : {}) };
}

function pattern(p: Record<string, string>, start: Date): GraphPattern | null {
  const interval = Number(p.INTERVAL ?? '1');
  const wd = weekdays(p);
  if (!wd || !Number.isInteger(interval) || interval < 1 || (p.BYMONTHDAY && p.BYMONTHDAY.includes(','))) return null;
  const startDay = DAYS[Object.keys(DAYS)[start.getUTCDay()]];
  const dayOfMonth = Number(p.BYMONTHDAY ?? start.getUTCDate());
  const month = Number(p.BYMONTH ?? start.getUTCMonth() + 1);
  if (p.BYSETPOS && !wd.index) return null;
  switch (p.FREQ) {
    case 'DAILY':
      return p.BYDAY || p.BYMONTHDAY || p.BYMONTH ? null : { type: 'daily', interval };
    case 'WEEKLY':
      if (wd.index || p.BYMONTHDAY || p.BYMONTH) return null;
      return {
        type: 'weekly',
        interval,
        daysOfWeek: wd.days.length ? wd.days : [startDay],
        firstDayOfWeek: DAYS[p.WKST ?? 'SU'] ?? 'sunday',
      };
    case 'MONTHLY':
      if (p.BYMONTH) return null;
      if (wd.index && !p.BYMONTHDAY) return { type: 'relativeMonthly', interval, daysOfWeek: wd.days, index: wd.index };
      return wd.days.length ? null : { type: 'absoluteMonthly', interval, dayOfMonth };
    case 'YEARLY':
      if (wd.index && !p.BYMONTHDAY)
        return { type: 'relativeYearly', interval, daysOfWeek: wd.days, index: wd.index, month };
      return wd.days.length ? null : { type: 'absoluteYearly', interval, dayOfMonth, month };
    default:
      return null;
  }
}

/** `recurrence` lines (RRULE only) of a series starting on `startDate` (local) -> a Graph pattern; null when inexpressible. */
export function rruleToPattern(lines: string[], startDate: string, timeZone: string): PatternedRecurrence | null {
  if (lines.length !== 1 || !/^RRULE:/i.test(lines[0])) return null;
  const p = parts(lines[0]);
  // The start's weekday, day and month fill what the rule leaves implicit (RFC 5545 3.3.10).
  const pat = p && pattern(p, new Date(`${startDate}T00:00:00Z`));
  if (!p || !pat) return null;
  const range: GraphRange = { type: 'noEnd', startDate, recurrenceTimeZone: timeZone };
  if (p.COUNT) Object.assign(range, { type: 'numbered', numberOfOccurrences: Number(p.COUNT) });
  else if (p.UNTIL)
    Object.assign(range, {
      type: 'endDate',
      endDate: `${p.UNTIL.slice(0, 4)}-${p.UNTIL.slice(4, 6)}-${p.UNTIL.slice(6, 8)}`,
    });
  return { pattern: pat, range };
}

function byDay(pat: GraphPattern): string {
  const codes = (pat.daysOfWeek ?? []).map((d) => DAY_CODES[d]).join(',');
  return pat.index ? `${INDEX_NUM[pat.index]}${codes}` : codes;
}

/** A Graph pattern -> one RRULE line. An endDate range ends at the end of that day. */
export function patternToRrule(r: PatternedRecurrence): string {
  const { pattern: pat, range } = r;
  const rule: string[] = [];
  const freq = {
    daily: 'DAILY',
    weekly: 'WEEKLY',
    absoluteMonthly: 'MONTHLY',
    relativeMonthly: 'MONTHLY',
    absoluteYearly: 'YEARLY',
    relativeYearly: 'YEARLY',
  }[pat.type];
  rule.push(`FREQ=${freq}`);
  if (pat.interval > 1) rule.push(`INTERVAL=${pat.interval}`);
  if (pat.type === 'weekly' || pat.type.startsWith('relative')) rule.push(`BYDAY=${byDay(pat)}`);
  if (pat.type.startsWith('absolute')) rule.push(`BYMONTHDAY=${pat.dayOfMonth}`);
  if (pat.type.endsWith('Yearly')) rule.push(`BYMONTH=${pat.month}`);
  if (pat.type === 'weekly' && pat.firstDayOfWeek && pat.firstDayOfWeek !== 'sunday')
    rule.push(`WKST=${DAY_CODES[pat.firstDayOfWeek]}`);
  if (range.type === 'numbered') rule.push(`COUNT=${range.numberOfOccurrences}`);
  if (range.type === 'endDate' && range.endDate) rule.push(`UNTIL=${range.endDate.replace(/-/g, '')}T235959Z`);
  return `RRULE:${rule.join(';')}`;
}
