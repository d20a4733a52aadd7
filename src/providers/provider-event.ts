/**
 * The one event model the planner speaks, whichever provider holds the calendar. Adapters translate their
 * provider's event to and from it; anything a provider cannot express is absent, never invented.
 */

/** An all-day boundary (`date`, a whole day, end exclusive) or an instant (`dateTime` with offset) in a zone. */
export type EventTime =
  { date: string; dateTime?: undefined; timeZone?: string } | { dateTime: string; date?: undefined; timeZone?: string };

export type ResponseStatus = 'needsAction' | 'accepted' | 'declined' | 'tentative';

export interface ProviderAttendee {
  email: string;
  displayName?: string;
  responseStatus: ResponseStatus;
  /** The account reading the calendar. */
  self?: boolean;
  organizer?: boolean;
  optional?: boolean;
}

/** How the time shows in free/busy; Google knows only busy (opaque) and free (transparent). */
export type ShowAs = 'free' | 'busy' | 'tentative' | 'oof' | 'workingElsewhere' | 'unknown';
/** Google's visibility; Graph's sensitivity maps onto it (personal and confidential -> confidential). */
export type Visibility = 'default' | 'public' | 'private' | 'confidential';
/** Google's event types; every Graph event is `default`. */
export type EventKind = 'default' | 'focusTime' | 'outOfOffice' | 'workingLocation' | 'fromGmail' | 'birthday';

export interface ProviderEvent {
  /** The provider's id: Google's (ours when we chose it), Graph's long opaque one. */
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  /** Precondition value for a later update (Google etag, Graph @odata.etag). */
  etag?: string;
  iCalUid?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: EventTime;
  end?: EventTime;
  allDay: boolean;
  showAs: ShowAs;
  visibility: Visibility;
  kind: EventKind;
  /** RRULE/EXDATE/RDATE lines on a series master. */
  recurrence?: string[];
  /** Set on an instance (occurrence or exception) of a series: the master's id and the slot it fills. */
  seriesId?: string;
  originalStart?: EventTime;
  attendees?: ProviderAttendee[];
  organizerEmail?: string;
  /** The reading account may edit the event's own properties (Google: organizer or guestsCanModify; Graph: isOrganizer). */
  canEdit: boolean;
  /** False when the event asks for no reminder at all. */
  remindersOn: boolean;
  /** Our marker (BusyBridge's private tags) when the event carries it; providers that drop it on some listings leave it absent. */
  tags?: Record<string, string>;
  updated?: string;
}

/** What we write. The adapter chooses the provider fields; attendees are never sent (no invitations). */
export interface EventWrite {
  summary?: string;
  description?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  showAs: 'free' | 'busy';
  visibility: Visibility;
  remindersOn: boolean;
  recurrence?: string[];
  /** Our marker, stored privately on the event (Google private extended properties, a Graph extended property). */
  tags: Record<string, string>;
}

/** One row of a change listing: an event as it is now, or a tombstone that may carry nothing but the id. */
export type ProviderChange =
  | { type: 'upsert'; event: ProviderEvent }
  /** A cancelled occurrence says which series and slot when the provider tells (Google does, Graph does not). */
  | { type: 'removed'; id: string; seriesId?: string; originalStart?: EventTime };
