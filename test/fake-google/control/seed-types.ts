import { Role } from '../model';

export interface ClientSeed {
  clientId: string;
  clientSecret: string;
  /** Empty or omitted = any redirect_uri accepted. */
  redirectUris?: string[];
  name?: string;
}

export interface AccountSeed {
  email: string;
  name?: string;
  /** Default: a stable 21-digit number derived from the email. */
  sub?: string;
  emailVerified?: boolean;
  /** Default: the email's domain when that domain is seeded; null forces a consumer account. */
  hd?: string | null;
  adminBlocked?: boolean;
  denyConsent?: boolean;
  /** Granular consent: scopes this person unticks on the consent screen (sign-in scopes cannot be). */
  untickedScopes?: string[];
  /** Time zone of the primary calendar (default UTC). */
  timeZone?: string;
  /** Summary of the primary calendar (default: the email). */
  calendarSummary?: string;
  /** Default true. */
  primaryCalendar?: boolean;
}

export interface CalendarSeed {
  id: string;
  summary?: string;
  description?: string;
  timeZone?: string;
  /** Email of the data owner. */
  owner?: string;
  /** Keys: an email, `domain:<name>` or `default` (public). */
  acl?: Record<string, Role>;
}

export interface EventSeed {
  calendarId: string;
  /** Acting account; default the calendar's owner. */
  as?: string;
  event: Record<string, unknown>;
}

export interface SeedData {
  domains?: string[];
  clients?: ClientSeed[];
  accounts?: AccountSeed[];
  calendars?: CalendarSeed[];
  events?: EventSeed[];
}
