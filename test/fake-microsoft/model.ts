/** Plain records of the Microsoft emulator's state; behaviour lives in the services. */

/** `tid` of every personal Microsoft account (consumer tenant). */
export const PERSONAL_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface Tenant {
  id: string;
  /** Verified domain, e.g. contoso.example; sign-in at /{domain}/oauth2/... works too. */
  domain: string;
  name: string;
  /** 'all': users may consent; 'verifiedPublishers' / 'none': an unverified app gets AADSTS90094 until an admin consents. */
  userConsent: 'all' | 'verifiedPublishers' | 'none';
  adminConsentedClients: Set<string>;
}

export interface User {
  /** Graph user id = id_token `oid`. */
  id: string;
  tenantId: string;
  userPrincipalName: string;
  /** null for some work accounts: clients must fall back to the UPN. */
  mail: string | null;
  displayName: string;
  personal: boolean;
  /** Hybrid mailbox hosted on-premises: Graph cannot reach it (404 MailboxNotEnabledForRESTAPI). */
  onPremisesMailbox: boolean;
}

export interface AppRegistration {
  clientId: string;
  /** Absent = public client (no secret; PKCE expected). */
  clientSecret?: string;
  /** Empty = any redirect_uri accepted (tests with random ports). */
  redirectUris: string[];
  name: string;
  verifiedPublisher: boolean;
}

export type ShareRole = 'read' | 'write';

export interface Calendar {
  id: string;
  ownerId: string;
  name: string;
  color: string;
  isDefault: boolean;
  /** userId -> role, for calendars other people shared with them. */
  sharedWith: Map<string, ShareRole>;
  changeKey: string;
}

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export interface PatternedRecurrence {
  pattern: Record<string, unknown> & { type: string; interval: number };
  range: Record<string, unknown> & { type: string; startDate: string };
}

export type EventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';

export interface Attendee {
  type: 'required' | 'optional' | 'resource';
  emailAddress: { name?: string; address: string };
  status: { response: string; time: string };
}

/** One stored item: a single event, a series master, or an exception of a series. */
export interface StoredEvent {
  /** The REST id; changes when the item moves to another calendar. */
  id: string;
  /** The id answered with `Prefer: IdType="ImmutableId"`; never changes. */
  immutableId: string;
  calendarId: string;
  type: EventType;
  iCalUId: string;
  changeKey: string;
  /** World change counter at the last write; delta rounds compare against it. */
  seq: number;
  createdMs: number;
  modifiedMs: number;
  startMs: number;
  endMs: number;
  /** Zone the event was written in (IANA) and the name reported as originalStartTimeZone. */
  zone: string;
  originalZoneName: string;
  fields: EventFields;
  transactionId?: string;
  extendedProperties: Map<string, string>;
  attendees: Attendee[];
  organizer: { name: string; address: string };
  isOrganizer: boolean;
  responseStatus: { response: string; time: string };
  recurrence?: PatternedRecurrence;
  seriesMasterId?: string;
  originalStartMs?: number;
  /** On a master: originalStart ms of deleted occurrences. */
  cancelledOccurrences?: Set<number>;
  /** Organizer's item this attendee copy mirrors. */
  organizerEventId?: string;
}

export interface EventFields {
  subject: string | null;
  body: { contentType: 'text' | 'html'; content: string };
  location: { displayName: string };
  categories: string[];
  showAs: string;
  sensitivity: string;
  importance: string;
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  isAllDay: boolean;
  isCancelled: boolean;
  hideAttendees: boolean;
  responseRequested: boolean;
}

/** A deleted item (or an item that left the window) as delta rounds remember it. */
export interface Tombstone {
  id: string;
  immutableId: string;
  calendarId: string;
  type: EventType;
  seq: number;
  startMs: number;
  endMs: number;
}

export interface MailRecord {
  time: string;
  kind: 'invitation' | 'update' | 'cancellation' | 'response';
  from: string;
  to: string[];
  subject: string;
  eventId: string;
}

export interface EmulatorOptions {
  accessTokenLifetimeSec: number;
  /** Refresh tokens unused this long answer invalid_grant AADSTS700082. */
  refreshTokenInactivitySec: number;
  /** 'short', 'qualified' or 'alternate' (each token response flips), as seen in real answers. */
  scopeStyle: 'short' | 'qualified' | 'alternate';
  /** Minutes; the documented Outlook maximum is 4230, newer sources say 10080. */
  maxSubscriptionMinutes: number;
  requireHttpsNotificationUrl: boolean;
  validationTimeoutMs: number;
  deliveryTimeoutMs: number;
  /** Redeliveries after a 5xx or a timeout (Graph retries for hours; tests need a bound). */
  deliveryRetries: number;
  retryDelayMs: number;
  /** Share (0..1) of delta tombstones sent without `type`. */
  tombstoneWithoutTypeShare: number;
  /** Share (0..1) of delta pages that repeat the previous page's last entity. */
  repeatShare: number;
  /** Requests per (app, mailbox) in a sliding 10 minutes before 429. */
  requestsPer10Min: number;
  concurrentPerMailbox: number;
  defaultPageSize: number;
  deltaPageSize: number;
  expansionHorizonDays: number;
  /** Delta tokens older than this answer syncStateNotFound (Graph's lifetime depends on its cache). */
  deltaTokenTtlSec: number;
}

export const DEFAULT_OPTIONS: EmulatorOptions = {
  accessTokenLifetimeSec: 3599,
  refreshTokenInactivitySec: 90 * 86_400,
  scopeStyle: 'alternate',
  maxSubscriptionMinutes: 4230,
  requireHttpsNotificationUrl: false,
  validationTimeoutMs: 10_000,
  deliveryTimeoutMs: 3000,
  deliveryRetries: 2,
  retryDelayMs: 50,
  tombstoneWithoutTypeShare: 0.5,
  repeatShare: 0.3,
  requestsPer10Min: 10_000,
  concurrentPerMailbox: 4,
  defaultPageSize: 10,
  deltaPageSize: 10,
  expansionHorizonDays: 400,
  deltaTokenTtlSec: 7 * 86_400,
};
