import { Errors } from '../errors';
import { CLIENT_EVENT_ID } from '../ids';
import { EventResource } from '../model';

/** Fields a client may write; everything else is server-owned (fact sheet §2). */
const WRITABLE = [
  'summary',
  'description',
  'location',
  'colorId',
  'start',
  'end',
  'endTimeUnspecified',
  'recurrence',
  'transparency',
  'visibility',
  'sequence',
  'attendees',
  'attendeesOmitted',
  'extendedProperties',
  'guestsCanInviteOthers',
  'guestsCanModify',
  'guestsCanSeeOtherGuests',
  'anyoneCanAddSelf',
  'reminders',
  'source',
  'status',
  'eventType',
  'outOfOfficeProperties',
  'focusTimeProperties',
  'workingLocationProperties',
  'birthdayProperties',
  'conferenceData',
  'attachments',
  'privateCopy',
  'locked',
  'gadget',
  'originalStartTime',
] as const;

/** Copy-local data (fact sheet §2.7): each attendee copy keeps its own values. */
export const PRIVATE_FIELDS = ['colorId', 'transparency', 'reminders'] as const;

/** Organizer-owned data; an attendee writing any of these needs guestsCanModify. */
export const SHARED_FIELDS = [
  'summary',
  'description',
  'location',
  'start',
  'end',
  'recurrence',
  'visibility',
  'guestsCanInviteOthers',
  'guestsCanModify',
  'guestsCanSeeOtherGuests',
  'anyoneCanAddSelf',
  'conferenceData',
  'attachments',
  'endTimeUnspecified',
] as const;

/** Never writable by a guest, even with guestsCanModify (the organizer's permission settings). */
export const ORGANIZER_ONLY_FIELDS = ['guestsCanInviteOthers', 'guestsCanModify', 'guestsCanSeeOtherGuests'] as const;

const GUEST_DEFAULTS: Partial<EventResource> = {
  guestsCanInviteOthers: true,
  guestsCanModify: false,
  guestsCanSeeOtherGuests: true,
};

export function pickWritable(body: Record<string, unknown>): EventResource {
  const out: Record<string, unknown> = {};
  for (const k of WRITABLE) if (body[k] !== undefined && body[k] !== null) out[k] = body[k];
  return out as EventResource;
}

export function validateClientId(id: unknown): string {
  if (typeof id !== 'string' || !CLIENT_EVENT_ID.test(id)) throw Errors.invalid('Invalid resource id value.');
  return id;
}

/** Key > 44 chars is dropped and value > 1024 truncated, silently (fact sheet §2.8). */
function clampProps(props: Record<string, string | null> | null | undefined): Record<string, string> | undefined {
  if (!props) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    if (k.length > 44 || v === null || v === undefined) continue;
    out[k] = String(v).slice(0, 1024);
  }
  return out;
}

/** Applies Google's defaults to a freshly written resource. */
export function withDefaults(ev: EventResource): EventResource {
  const out: EventResource = { ...ev };
  out.status = out.status ?? 'confirmed';
  out.eventType = out.eventType ?? 'default';
  out.reminders = out.reminders ?? { useDefault: true };
  out.sequence = out.sequence ?? 0;
  for (const [k, v] of Object.entries(GUEST_DEFAULTS))
    if ((out as Record<string, unknown>)[k] === undefined) (out as Record<string, unknown>)[k] = v;
  if (out.extendedProperties) {
    const priv = clampProps(out.extendedProperties.private as Record<string, string | null> | undefined);
    const shared = clampProps(out.extendedProperties.shared as Record<string, string | null> | undefined);
    out.extendedProperties = { ...(priv ? { private: priv } : {}), ...(shared ? { shared } : {}) };
  }
  if (out.attendees) {
    out.attendees = out.attendees.map((a) => {
      if (!a.email) throw Errors.required('Missing attendee email.');
      return { ...a, email: a.email.toLowerCase(), responseStatus: a.responseStatus ?? 'needsAction' };
    });
  }
  delete out.attendeesOmitted;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Patch semantics: given fields replace, arrays replace wholesale, nested objects merge and null deletes.
 * start/end replace as a whole so date <-> dateTime switches work.
 */
export function mergePatch(current: EventResource, patch: Record<string, unknown>): EventResource {
  const merge = (base: Record<string, unknown>, p: Record<string, unknown>, depth: number): Record<string, unknown> => {
    const out = { ...base };
    for (const [k, v] of Object.entries(p)) {
      if (v === null) delete out[k];
      else if (
        depth < 3 &&
        isPlainObject(v) &&
        isPlainObject(out[k]) &&
        k !== 'start' &&
        k !== 'end' &&
        k !== 'originalStartTime'
      ) {
        out[k] = merge(out[k] as Record<string, unknown>, v, depth + 1);
      } else out[k] = v;
    }
    return out;
  };
  return merge(current as Record<string, unknown>, pickWritablePatch(patch), 0) as EventResource;
}

/** Like pickWritable but keeps nulls: they delete in a patch. */
function pickWritablePatch(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of WRITABLE) if (k in body && body[k] !== undefined) out[k] = body[k];
  return out;
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
