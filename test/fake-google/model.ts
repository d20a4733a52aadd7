import type { calendar_v3 } from '@googleapis/calendar';

export type EventResource = calendar_v3.Schema$Event;
export type EventDateTime = calendar_v3.Schema$EventDateTime;
export type Attendee = calendar_v3.Schema$EventAttendee;

export type Role = 'none' | 'freeBusyReader' | 'reader' | 'writer' | 'owner';
export const ROLE_RANK: Record<Role, number> = { none: 0, freeBusyReader: 1, reader: 2, writer: 3, owner: 4 };

export interface Account {
  sub: string;
  email: string;
  name: string;
  emailVerified: boolean;
  /** Workspace domain; absent for consumer accounts. */
  hd?: string;
  /** Authorize answers error=admin_policy_enforced. */
  adminBlocked: boolean;
  /** Authorize answers error=access_denied (the person clicked "Cancel"). */
  denyConsent: boolean;
  /**
   * Granular consent: scopes the person unticks on the consent screen. The sign-in scopes (openid, email,
   * profile) have no checkbox; any other requested scope listed here is left out of the grant.
   */
  untickedScopes?: string[];
  /** One-shot: applied to the next id_token issued for this account, then cleared. */
  nextIdToken?: IdTokenOverride;
  /** Sticky: merged into every userinfo answer until cleared. null removes a claim. */
  userinfoOverride?: Record<string, unknown>;
}

export interface IdTokenOverride {
  /** Claims to set; a null value removes the claim. */
  claims?: Record<string, unknown>;
  /** 'untrusted' signs with a key the JWKS does not publish. */
  signWith?: 'emulator' | 'untrusted';
}

export interface OAuthClientRecord {
  clientId: string;
  clientSecret: string;
  /** Empty = any redirect_uri is accepted (convenient for tests with random ports). */
  redirectUris: string[];
  name: string;
}

export interface WriteLimit {
  perSecond: number;
  status: 403 | 429;
  retryAfter?: number;
}

export interface StoredEvent {
  /** The canonical resource, without per-viewer fields (self flags) and without kind/etag. */
  data: EventResource;
  /** Global change cursor value of the last change; sync tokens compare against it. */
  seq: number;
  etag: string;
  /** Calendar holding the organizer's copy (this calendar for non-invitations). */
  organizerCalendarId: string;
  /** Calendars that received an attendee copy (organizer copies only). */
  copyCalendarIds?: string[];
  /** Attendee deleted their copy: organizer edits must not bring it back. */
  removedByAttendee?: boolean;
  /** Emulator clock ms when it became cancelled; drives tombstone purging. */
  cancelledAtMs?: number;
}

export interface Calendar {
  id: string;
  summary: string;
  description?: string;
  timeZone: string;
  /** Email of the account whose primary calendar this is. */
  primaryOf?: string;
  /** Email of the data owner of a secondary calendar. */
  dataOwner?: string;
  /** Keys: an email, `domain:<name>` or `default`. */
  acl: Map<string, Role>;
  events: Map<string, StoredEvent>;
  /** Bumped to invalidate every sync token issued for this calendar. */
  syncEpoch: number;
  /** Sync tokens older than this cursor lost tombstones to purging and must 410. */
  purgedSeq: number;
  writeLimit?: WriteLimit;
  resourceId: string;
}

export interface EmulatorOptions {
  /** How repeated privateExtendedProperty / sharedExtendedProperty constraints combine. */
  extendedPropertyFilter: 'and' | 'or';
  /** events.delete on an attendee copy also records responseStatus=declined for the organizer. */
  deleteOfAttendeeCopyDeclines: boolean;
  /** null = tombstones are kept forever. */
  tombstoneTtlSec: number | null;
  accessTokenLifetimeSec: number;
  /** Upper bound on a watch channel's lifetime (Google's default is also 7 days). */
  maxChannelTtlSec: number;
  /** How far ahead open-ended series are expanded when no timeMax is given. */
  expansionHorizonDays: number;
}

export const DEFAULT_OPTIONS: EmulatorOptions = {
  extendedPropertyFilter: 'or',
  deleteOfAttendeeCopyDeclines: false,
  tombstoneTtlSec: 7 * 86_400,
  accessTokenLifetimeSec: 3600,
  maxChannelTtlSec: 604800,
  expansionHorizonDays: 400,
};
