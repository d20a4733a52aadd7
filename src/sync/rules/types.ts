import type { calendar_v3 } from '@googleapis/calendar';
import type { StoredPolicy } from './policy';

/** The Google event shape as the client library returns it. Only types are imported: rules do no I/O. */
export type GoogleEvent = calendar_v3.Schema$Event;
export type EventTime = calendar_v3.Schema$EventDateTime;

export type CalendarKind = 'main' | 'client' | 'personal';
import type { AccessRole } from '../../google/access-roles';
export type { AccessRole };

/** One of the user's calendars, as the planner needs to know it. `id` is the client_calendars row id. */
export interface PlanCalendar {
  id: number;
  kind: CalendarKind;
  accessRole: AccessRole | null;
  /** The Google account reading this calendar: finds the user's own attendee entry on an invitation. */
  accountEmail: string;
  active: boolean;
  /** A client calendar's rules for what may block it; absent: the defaults. */
  policy?: StoredPolicy;
}

export interface UserCalendars {
  userId: number;
  main: PlanCalendar;
  /** Client and personal calendars, active or not. */
  others: PlanCalendar[];
}

/** What kind of managed event we write; stored in its private extended properties. */
export type CopyKind = 'copy' | 'busy' | 'personal';

/** The body of an event we write (a subset of GoogleEvent; built only by bodies.ts). */
export type EventBody = GoogleEvent;

/** A managed event that exists (per our records, or per a listing in a full pass). */
export interface ExistingCopy {
  eventId: string;
  /** Null when unknown or known to differ from what we wrote: forces a rewrite. */
  contentHash: string | null;
  /** We cancelled this occurrence of a copy series (deleting an instance leaves a cancelled exception). */
  cancelled?: boolean;
  /** The event as listed when it may differ from what we wrote (someone edited it): compared instead of the hash. */
  observed?: GoogleEvent;
}

export interface ExistingBlock extends ExistingCopy {
  calendarId: number;
}

export interface Existing {
  /** The event_mappings row; the engine creates it before planning a live origin (its id tags our events). */
  mappingId: number | null;
  /** The user removed the main copy: nothing is (re)created for this origin any more. */
  dismissed: boolean;
  mainCopy: ExistingCopy | null;
  busyBlocks: ExistingBlock[];
}

/** An origin event as seen on its own calendar; `event` null or cancelled means deleted. */
export interface OriginChange {
  calendar: PlanCalendar;
  eventId: string;
  event: GoogleEvent | null;
  /**
   * Calendars (other than the origin's) where the same meeting (same iCalUID) is present natively.
   * Invariant 7: it is neither copied to main again nor blocked there.
   */
  iCalUidPresentOn: number[];
  /** Set when the origin is one instance of a series (an exception, a cancelled or an edited occurrence). */
  series?: SeriesInfo;
}

/** The series an instance origin belongs to, as the engine found it. */
export interface SeriesInfo {
  /** The series' Google id on the origin calendar (the instance id is `{seriesId}_{suffix}`). */
  seriesId: string;
  /** The series as Google has it now; null or cancelled when it is gone. */
  event: GoogleEvent | null;
  /** Calendars (main's id included) where the copy series exists: an instance copy can only live there. */
  copiedTo: number[];
  /**
   * The occurrences the origin calendar shows for the series (as events.instances lists them, cancelled ones
   * included) that start at `fromMs` or later. Google may keep an exception its series no longer produces
   * (one past an UNTIL trim): copies mirror what Google shows, not what the rule says. Absent: not asked.
   */
  shown?: ShownOccurrences;
}

export interface ShownOccurrences {
  suffixes: ReadonlySet<string>;
  fromMs: number;
}

export interface PlanContext {
  calendars: UserCalendars;
  managedEventPrefix: string;
  now: Date;
  lookbackDays: number;
  /** HKDF-derived key for deterministic copy ids (EncryptionService.eventIdKey()). */
  idKey: Buffer;
}

export type Operation =
  | {
      op: 'upsertMainCopy';
      calendarId: number;
      eventId: string;
      kind: 'copy' | 'personal';
      body: EventBody;
      contentHash: string;
    }
  /** With `cancelInstance`, the copy is one instance of a copied series: deleting it cancels that occurrence. */
  | { op: 'deleteMainCopy'; calendarId: number; eventId: string; cancelInstance?: boolean }
  | {
      op: 'upsertBusyBlock';
      calendarId: number;
      eventId: string;
      kind: 'busy' | 'personal';
      body: EventBody;
      contentHash: string;
    }
  | { op: 'deleteBusyBlock'; calendarId: number; eventId: string; cancelInstance?: boolean }
  /** A user's edit of a main copy, patched onto the client origin (only the fields we copy). */
  | { op: 'pushEditToOrigin'; calendarId: number; eventId: string; patch: EventBody }
  | { op: 'deleteOrigin'; calendarId: number; eventId: string }
  /**
   * Only the user's own entry, declined, sent with `attendeesOmitted` (its documented purpose): the other
   * guests are left as Google has them, even when the origin we read listed fewer of them.
   */
  | { op: 'declineOrigin'; calendarId: number; eventId: string; attendees: NonNullable<GoogleEvent['attendees']> };

export type GoogleWriteOp = Operation['op'];

/** What the mapping row should say after the plan is applied. */
export type MappingState = 'live' | 'deleted' | 'dismissed';

export interface MappingFacts {
  state: MappingState;
  userCanEdit: boolean;
  eventStart: Date | null;
  eventEnd: Date | null;
  isAllDay: boolean;
  isRecurring: boolean;
  iCalUid: string | null;
  recurringEventId: string | null;
}

export interface Plan {
  ops: Operation[];
  /** Null: the origin is not ours to track (ignored type, out of the window, never mapped). */
  mapping: MappingFacts | null;
}
