import { IANAZone } from 'luxon';
import { isAllDay, selfAttendee, startInstant, endInstant, isInvitation } from './eligibility';
import { restrictToHours } from './policy-hours';
import { GoogleEvent, PlanCalendar } from './types';

/** Working hours of one client, in its own time zone. Days: ISO weekdays, Monday = 1. */
export interface WorkingHours {
  days: number[];
  start: string;
  end: string;
  timeZone: string;
}

/** What may block one client calendar; the defaults reproduce the behaviour without a policy. */
export interface ClientPolicy {
  busyTitle: string;
  blockAllDay: boolean;
  minMinutes: number;
  blockTentative: boolean;
  excludeKeywords: string[];
  workingHours: WorkingHours | null;
  unavailableOutsideHours: boolean;
}

/** As stored: the policy, plus the Monday (YYYY-MM-DD) its "unavailable" series start from. */
export interface StoredPolicy extends ClientPolicy {
  since?: string;
}

export const DEFAULT_POLICY: Readonly<ClientPolicy> = Object.freeze({
  busyTitle: 'Busy',
  blockAllDay: true,
  minMinutes: 0,
  blockTentative: true,
  excludeKeywords: [],
  workingHours: null,
  unavailableOutsideHours: false,
});

export const POLICY_FIELDS = Object.keys(DEFAULT_POLICY) as Array<keyof ClientPolicy>;

/** A field that cannot be accepted, named so the 400 says which one. */
export class PolicyError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function workingHoursOf(value: unknown): WorkingHours | null {
  if (value === null) return null;
  const field = 'workingHours';
  if (typeof value !== 'object' || Array.isArray(value))
    throw new PolicyError(field, 'workingHours must be null or {"days","start","end","timeZone"}');
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).find((k) => !['days', 'start', 'end', 'timeZone'].includes(k));
  if (extra)
    throw new PolicyError(
      `${field}.${extra}`,
      `workingHours.${extra} is not a field of working hours (days, start, end, timeZone)`,
    );
  const days = v.days;
  if (
    !Array.isArray(days) ||
    days.length === 0 ||
    days.length > 7 ||
    !days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) ||
    new Set(days).size !== days.length
  ) {
    throw new PolicyError(
      `${field}.days`,
      'workingHours.days must list 1 to 7 different weekdays, Monday = 1 ... Sunday = 7',
    );
  }
  for (const key of ['start', 'end'] as const) {
    if (typeof v[key] !== 'string' || !HHMM.test(v[key] as string))
      throw new PolicyError(`${field}.${key}`, `workingHours.${key} must be a time "HH:MM" (00:00 to 24:00)`);
  }
  if (minutesOf(v.start as string) >= minutesOf(v.end as string))
    throw new PolicyError(`${field}.end`, 'workingHours.end must be later than workingHours.start');
  if (typeof v.timeZone !== 'string' || !IANAZone.isValidZone(v.timeZone))
    throw new PolicyError(
      `${field}.timeZone`,
      'workingHours.timeZone must be an IANA time zone such as "Europe/Berlin"',
    );
  return {
    days: [...(days as number[])].sort((a, b) => a - b),
    start: v.start as string,
    end: v.end as string,
    timeZone: v.timeZone,
  };
}

function keywordsOf(value: unknown): string[] {
  const ok =
    Array.isArray(value) &&
    value.length <= 50 &&
    value.every((k) => typeof k === 'string' && k.trim().length >= 1 && k.length <= 100);
  if (!ok)
    throw new PolicyError(
      'excludeKeywords',
      'excludeKeywords must be a list of at most 50 words or phrases of 1-100 characters',
    );
  return [...new Set((value as string[]).map((k) => k.trim()))];
}

type Checker = (value: unknown) => unknown;
const CHECKS: Record<keyof ClientPolicy, Checker> = {
  busyTitle: (v) => {
    if (typeof v !== 'string' || v.trim().length < 1 || v.length > 100 || /[\r\n]/.test(v))
      throw new PolicyError('busyTitle', 'busyTitle must be one line of 1-100 characters');
    return v.trim();
  },
  blockAllDay: (v) => bool('blockAllDay', v),
  blockTentative: (v) => bool('blockTentative', v),
  unavailableOutsideHours: (v) => bool('unavailableOutsideHours', v),
  minMinutes: (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1440)
      throw new PolicyError('minMinutes', 'minMinutes must be a whole number of minutes from 0 to 1440');
    return v;
  },
  excludeKeywords: keywordsOf,
  workingHours: workingHoursOf,
};

function bool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new PolicyError(field, `${field} must be true or false`);
  return v;
}

/**
 * `base` with the fields of `input` applied (fields not sent are kept). Throws PolicyError naming the
 * first bad or unknown field; nothing is half-applied because the caller stores only a returned policy.
 */
export function applyPolicyInput(base: ClientPolicy, input: unknown): ClientPolicy {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new PolicyError('policy', 'The policy must be a JSON object');
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const check = CHECKS[key as keyof ClientPolicy];
    if (!check) throw new PolicyError(key, `${key} is not a policy field (${POLICY_FIELDS.join(', ')})`);
    out[key] = check(value);
  }
  const policy = out as unknown as ClientPolicy;
  if (policy.unavailableOutsideHours && !policy.workingHours) {
    throw new PolicyError(
      'unavailableOutsideHours',
      'unavailableOutsideHours needs workingHours: the time outside them is what shows as unavailable',
    );
  }
  return policy;
}

/** The policy as the API shows it (no storage-only fields), defaults for a calendar without one. */
export function publicPolicy(stored: StoredPolicy | null | undefined): ClientPolicy {
  const p = stored ?? DEFAULT_POLICY;
  return Object.fromEntries(POLICY_FIELDS.map((k) => [k, p[k]])) as unknown as ClientPolicy;
}

/** Read from its stored JSON; an unreadable value falls back to the defaults rather than stopping sync. */
export function parseStoredPolicy(json: string | null | undefined): StoredPolicy | undefined {
  if (!json) return undefined;
  try {
    const raw = JSON.parse(json) as Record<string, unknown>;
    const { since, ...fields } = raw;
    const policy = applyPolicyInput(DEFAULT_POLICY, fields);
    return typeof since === 'string' ? { ...policy, since } : policy;
  } catch {
    return undefined;
  }
}

/** Tentative: the event itself is, or the user has not accepted the invitation (tentative or unanswered). */
export function isTentative(event: GoogleEvent, origin: PlanCalendar): boolean {
  if (event.status === 'tentative') return true;
  if (!isInvitation(event, origin)) return false;
  const answer = selfAttendee(event, origin)?.responseStatus;
  return answer === 'tentative' || answer === 'needsAction';
}

function durationMinutes(event: GoogleEvent): number | null {
  const start = startInstant(event);
  const end = endInstant(event);
  return start && end ? (end.getTime() - start.getTime()) / 60_000 : null;
}

/** The shape of a busy block on a client calendar: its title after the prefix, and its recurrence. */
export interface BlockShape {
  title: string;
  recurrence?: string[];
}

/**
 * How `event` (from `origin`) blocks a client calendar under `policy`, or null when it makes no block
 * there. Only eligibility and the title change: the block stays detail-free whatever the policy.
 * A series is judged by its series event; working hours narrow its recurrence to the weekdays whose
 * occurrences overlap them (see policy-hours.ts).
 */
export function blockUnder(
  policy: ClientPolicy | undefined,
  event: GoogleEvent,
  origin: PlanCalendar,
): BlockShape | null {
  const p = policy ?? DEFAULT_POLICY;
  const personal = origin.kind === 'personal';
  const title = personal ? `${p.busyTitle} (Personal)` : p.busyTitle;
  if (!p.blockAllDay && isAllDay(event)) return null;
  if (p.minMinutes > 0 && !isAllDay(event)) {
    const minutes = durationMinutes(event);
    if (minutes !== null && minutes < p.minMinutes) return null;
  }
  if (!p.blockTentative && isTentative(event, origin)) return null;
  const summary = (event.summary ?? '').toLowerCase();
  if (p.excludeKeywords.some((k) => summary.includes(k.toLowerCase()))) return null;
  if (!p.workingHours) return { title };
  const narrowed = restrictToHours(event, p.workingHours);
  if (narrowed === null) return null;
  return narrowed === 'unchanged' ? { title } : { title, recurrence: narrowed };
}
