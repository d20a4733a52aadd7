import { Graph } from '../errors';
import { Attendee, EventFields } from '../model';

const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'];
const SENSITIVITY = ['normal', 'personal', 'private', 'confidential'];
const IMPORTANCE = ['low', 'normal', 'high'];
/** `{type} {GUID} Name {name}` or `{type} {GUID} Id 0x…`, or a MAPI tag `String 0x…` (XPROP). */
const XPROP_ID =
  /^(String|Integer|Boolean|SystemTime|Double|Long|Binary|Currency|CLSID|Short|Float|ApplicationTime)( \{[0-9a-fA-F-]{36}\} (Name \S.*|Id 0x[0-9a-fA-F]+)| 0x[0-9a-fA-F]{1,4})$/;

const WRITABLE = [
  'subject',
  'body',
  'start',
  'end',
  'isAllDay',
  'location',
  'locations',
  'categories',
  'showAs',
  'sensitivity',
  'importance',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'attendees',
  'recurrence',
  'transactionId',
  'singleValueExtendedProperties',
  'hideAttendees',
  'responseRequested',
  'allowNewTimeProposals',
  'isOnlineMeeting',
  'onlineMeetingProvider',
];
/** Read-only properties a client may echo back (e.g. PATCHing a whole fetched object); Graph ignores them. */
const IGNORED = [
  'id',
  'iCalUId',
  'uid',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'type',
  'seriesMasterId',
  'originalStart',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'organizer',
  'isOrganizer',
  'responseStatus',
  'webLink',
  'bodyPreview',
  'isCancelled',
  'isDraft',
  'onlineMeeting',
  'onlineMeetingUrl',
  'hasAttachments',
];

export interface EventInput {
  fields: Partial<EventFields>;
  start?: unknown;
  end?: unknown;
  attendees?: Attendee[];
  recurrence?: unknown;
  transactionId?: string;
  extendedProperties?: Array<{ id: string; value: string }>;
}

const enumOf = (name: string, allowed: string[], v: unknown): string => {
  if (typeof v !== 'string' || !allowed.includes(v))
    throw Graph.requestBodyRead(
      `Cannot convert the literal '${String(v)}' to the expected type 'microsoft.graph.${name}'.`,
    );
  return v;
};
const bool = (name: string, v: unknown): boolean => {
  if (typeof v !== 'boolean')
    throw Graph.requestBodyRead(
      `Cannot convert the literal '${String(v)}' to the expected type 'Edm.Boolean' (${name}).`,
    );
  return v;
};

function attendees(v: unknown): Attendee[] {
  if (!Array.isArray(v)) throw Graph.requestBodyRead("A collection was expected for 'attendees'.");
  return v.map((a: { emailAddress?: { address?: unknown; name?: unknown }; type?: unknown }) => {
    const address = a?.emailAddress?.address;
    if (typeof address !== 'string' || !address.includes('@'))
      throw Graph.propertyValidation('Each attendee needs an emailAddress.address.');
    const type =
      a.type === undefined
        ? 'required'
        : (enumOf('attendeeType', ['required', 'optional', 'resource'], a.type) as Attendee['type']);
    return {
      type,
      emailAddress: {
        name: typeof a.emailAddress?.name === 'string' ? a.emailAddress.name : address,
        address: address.toLowerCase(),
      },
      status: { response: 'none', time: '0001-01-01T00:00:00Z' },
    };
  });
}

function extendedProperties(v: unknown): Array<{ id: string; value: string }> {
  if (!Array.isArray(v)) throw Graph.requestBodyRead("A collection was expected for 'singleValueExtendedProperties'.");
  return v.map((p: { id?: unknown; value?: unknown }) => {
    if (typeof p?.id !== 'string' || !XPROP_ID.test(p.id))
      throw Graph.badQuery(`The extended property id '${String(p?.id)}' is not valid.`);
    if (typeof p.value !== 'string') throw Graph.requestBodyRead('An extended property value must be a string.');
    return { id: p.id, value: p.value };
  });
}

type Reader = (v: unknown, out: EventInput) => void;
const READERS: Record<string, Reader> = {
  subject: (v, o) => void (o.fields.subject = v === null ? null : String(v)),
  body: (v, o) => {
    const b = v as { contentType?: unknown; content?: unknown };
    const contentType = b?.contentType === undefined ? 'text' : enumOf('bodyType', ['text', 'html'], b.contentType);
    o.fields.body = {
      contentType: contentType as 'text' | 'html',
      content: typeof b?.content === 'string' ? b.content : '',
    };
  },
  location: (v, o) =>
    void (o.fields.location = { displayName: String((v as { displayName?: unknown })?.displayName ?? '') }),
  categories: (v, o) => {
    if (!Array.isArray(v) || v.some((c) => typeof c !== 'string'))
      throw Graph.requestBodyRead("A collection of strings was expected for 'categories'.");
    o.fields.categories = [...v];
  },
  showAs: (v, o) => void (o.fields.showAs = enumOf('freeBusyStatus', SHOW_AS, v)),
  sensitivity: (v, o) => void (o.fields.sensitivity = enumOf('sensitivity', SENSITIVITY, v)),
  importance: (v, o) => void (o.fields.importance = enumOf('importance', IMPORTANCE, v)),
  isReminderOn: (v, o) => void (o.fields.isReminderOn = bool('isReminderOn', v)),
  reminderMinutesBeforeStart: (v, o) => {
    if (!Number.isInteger(v) || (v as number) < 0)
      throw Graph.requestBodyRead('reminderMinutesBeforeStart must be a whole number.');
    o.fields.reminderMinutesBeforeStart = v as number;
  },
  isAllDay: (v, o) => void (o.fields.isAllDay = bool('isAllDay', v)),
  hideAttendees: (v, o) => void (o.fields.hideAttendees = bool('hideAttendees', v)),
  responseRequested: (v, o) => void (o.fields.responseRequested = bool('responseRequested', v)),
  start: (v, o) => void (o.start = v),
  end: (v, o) => void (o.end = v),
  attendees: (v, o) => void (o.attendees = attendees(v)),
  recurrence: (v, o) => void (o.recurrence = v),
  transactionId: (v, o) => {
    if (typeof v !== 'string' || !v) throw Graph.requestBodyRead('transactionId must be a string.');
    o.transactionId = v;
  },
  singleValueExtendedProperties: (v, o) => void (o.extendedProperties = extendedProperties(v)),
};

/** Reads a POST/PATCH body; unknown properties and bad enum literals answer 400 like Graph's OData reader. */
export function readEventInput(body: unknown): EventInput {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw Graph.requestBodyRead('Empty Payload. JSON content expected.');
  const out: EventInput = { fields: {} };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k.startsWith('@odata') || IGNORED.includes(k)) continue;
    if (!WRITABLE.includes(k))
      throw Graph.requestBodyRead(
        `The property '${k}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    READERS[k]?.(v, out);
  }
  return out;
}
