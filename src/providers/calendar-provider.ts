import { EventWrite, ProviderChange, ProviderEvent } from './provider-event';
import { ProviderError, ProviderName } from './provider-errors';

/**
 * Where a change listing resumes: Google's sync token or Graph's delta link. Opaque to everyone but the adapter
 * that issued it; stored as is. A Graph delta link is bound to the window it was opened with, so a cursor is
 * only good for the window it came from.
 */
export type ChangeCursor = string & { readonly __cursor: unique symbol };

export interface TimeWindow {
  start: Date;
  end: Date;
}

export interface ListChangesRequest {
  /** Null: list everything in the window (a full pass). */
  cursor: ChangeCursor | null;
  window: TimeWindow;
}

export interface ChangeListing {
  /** `full` when no cursor was given or the provider refused it: every live event is listed, anything missing is gone. */
  mode: 'full' | 'incremental';
  /** In provider order; the same id may repeat (the last one wins) and tombstones may be for unknown ids. */
  changes: ProviderChange[];
  /** Where the next listing resumes; null when the provider gave none. */
  cursor: ChangeCursor | null;
}

export interface ProviderCalendar {
  id: string;
  name: string;
  primary: boolean;
  /** The account may create, edit and delete events here. */
  canWrite: boolean;
  timeZone?: string;
}

export interface NewEvent {
  /** Our deterministic id for the event: Google uses it as the event id, Graph as the transactionId. */
  ourId: string;
  body: EventWrite;
}

export interface PushRequest {
  /** Our id for the channel (Google channel id; kept by us for a Graph subscription). */
  channelId: string;
  /** Where the provider posts notifications. */
  address: string;
  /** Echoed with every notification so we know it is genuine (Google token, Graph clientState). */
  secret: string;
  ttlSeconds: number;
}

export interface PushChannel {
  channelId: string;
  /** The provider's handle needed to stop (Google resourceId, Graph subscription id). */
  resourceId: string;
  expiresAt: Date;
}

export interface TokenSet {
  accessToken: string;
  expiresAt: Date;
  /** Present when the provider rotated it: the caller must store it in place of the old one. */
  refreshToken?: string;
}

/**
 * Everything the sync engine, the connect flows, the webhook receiver and the jobs need from a calendar
 * provider, for one connected account. Errors are thrown as ProviderError with one shared kind table.
 */
export interface CalendarProvider {
  readonly provider: ProviderName;
  listCalendars(): Promise<ProviderCalendar[]>;
  /** Changes since the cursor, or every event in the window; an expired cursor falls back to a full listing. */
  listChanges(calendarId: string, request: ListChangesRequest): Promise<ChangeListing>;
  /** The event; null when the provider does not know it (or only as a tombstone). */
  getEvent(calendarId: string, eventId: string): Promise<ProviderEvent | null>;
  /** Events carrying our tag `key=value` (cleanup when our records are gone). */
  findTagged(calendarId: string, key: string, value: string): Promise<ProviderEvent[]>;
  /** Creating the same `ourId` twice yields one event: the second call answers the first. */
  createEvent(calendarId: string, event: NewEvent): Promise<ProviderEvent>;
  /** Overwrites the fields of `body`; with `ifMatch`, refuses (precondition_failed) when the event moved on. */
  updateEvent(calendarId: string, eventId: string, body: Partial<EventWrite>, ifMatch?: string): Promise<ProviderEvent>;
  /** Deleting what is already gone is done. */
  deleteEvent(calendarId: string, eventId: string): Promise<'deleted' | 'already_gone'>;
  /** Declines an invitation for the reading account without mailing the organizer. */
  declineEvent(calendarId: string, eventId: string): Promise<void>;
  startPush(calendarId: string, request: PushRequest): Promise<PushChannel>;
  /** Extends a channel's life; null when the provider cannot (Google): start a new one instead. */
  renewPush(channel: PushChannel, ttlSeconds: number): Promise<PushChannel | null>;
  /** Stopping a channel that expired or was stopped already is done. */
  stopPush(channel: PushChannel): Promise<void>;
  /** A fresh access token; a rotated refresh token comes back in the set. */
  refreshTokens(): Promise<TokenSet>;
  /** Any thrown value, as the shared error table sees it. */
  classifyError(error: unknown): ProviderError;
}
