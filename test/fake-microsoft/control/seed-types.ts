import { ShareRole, Tenant } from '../model';

export interface TenantSeed {
  domain: string;
  name?: string;
  /** Default: a stable GUID from the domain. */
  id?: string;
  userConsent?: Tenant['userConsent'];
}

export interface AppSeed {
  clientId: string;
  /** Omit for a public client (PKCE, no secret). */
  clientSecret?: string;
  redirectUris?: string[];
  name?: string;
  verifiedPublisher?: boolean;
}

export interface UserSeed {
  userPrincipalName: string;
  displayName?: string;
  /** Default: the UPN; null models the work accounts whose `mail` is empty. */
  mail?: string | null;
  /** A personal Microsoft account (tid 9188040d-…); otherwise the tenant of the UPN's domain. */
  personal?: boolean;
  id?: string;
  onPremisesMailbox?: boolean;
  /** Extra calendars besides the default "Calendar". */
  calendars?: string[];
}

export interface CalendarShareSeed {
  owner: string;
  calendar: string;
  with: string;
  role: ShareRole;
}

export interface EventSeed {
  /** Mailbox (UPN) whose calendar receives the event; it acts as the organizer. */
  mailbox: string;
  /** Calendar name; default: the mailbox's default calendar. */
  calendar?: string;
  /** Graph event JSON as a client would POST it. */
  event: Record<string, unknown>;
  /** Written by a legacy Outlook with a custom zone: originalStartTimeZone reads `tzone://Microsoft/Custom`. */
  legacyCustomZone?: boolean;
}

export interface SeedData {
  tenants?: TenantSeed[];
  apps?: AppSeed[];
  users?: UserSeed[];
  shares?: CalendarShareSeed[];
  events?: EventSeed[];
}
