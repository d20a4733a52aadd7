import { CalendarSyncState, ClientCalendar, OAuthToken } from '../database/entities';

export type ConnectedType = 'client' | 'personal';

/** docs/api.md's row of `GET /api/client-calendars` and `/api/personal-calendars`. */
export interface CalendarRowView {
  id: number;
  accountId: number;
  accountEmail: string;
  googleCalendarId: string;
  displayName: string | null;
  type: ConnectedType;
  isActive: boolean;
  lastSyncAt: string | null;
  status: 'ok' | 'warning' | 'error';
  lastError: string | null;
}

export interface CalendarStatusView extends CalendarRowView {
  syncState: string;
  accessRole: string | null;
  needsReauth: boolean;
  consecutiveFailures: number;
  lastFullSyncAt: string | null;
  lastIncrementalSyncAt: string | null;
  nextRetryAt: string | null;
  connectedAt: string;
  disconnectedAt: string | null;
}

export const REAUTH_MESSAGE =
  'Google refused the connection (access revoked or expired): re-authentication needed. Reconnect this account to resume syncing.';

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

function latest(a: Date | null | undefined, b: Date | null | undefined): Date | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return new Date(a) > new Date(b) ? a : b;
}

/**
 * Few states in the table (ok | syncing | backoff | needs_reauth | error), three for people: a revoked
 * account or a failing calendar is an error, a calendar retrying after a hiccup is a warning.
 */
export function health(
  state: CalendarSyncState | null,
  token: OAuthToken | undefined,
): { status: CalendarRowView['status']; lastError: string | null } {
  // Whatever the engine recorded last, the person must read what to do: re-authenticate.
  if (token?.needsReauth || state?.status === 'needs_reauth') return { status: 'error', lastError: REAUTH_MESSAGE };
  if (!state) return { status: 'ok', lastError: null };
  if (state.status === 'error') return { status: 'error', lastError: state.lastError };
  if (state.status === 'backoff' || state.consecutiveFailures > 0)
    return { status: 'warning', lastError: state.lastError };
  return { status: 'ok', lastError: state.lastError };
}

export function calendarRow(
  calendar: ClientCalendar,
  state: CalendarSyncState | null,
  token: OAuthToken | undefined,
): CalendarRowView {
  const h = health(state, token);
  return {
    id: calendar.id,
    accountId: calendar.oauthTokenId,
    accountEmail: token?.googleAccountEmail ?? '',
    googleCalendarId: calendar.googleCalendarId,
    displayName: calendar.displayName,
    type: calendar.calendarType === 'personal' ? 'personal' : 'client',
    isActive: calendar.isActive,
    lastSyncAt: iso(latest(state?.lastFullSync, state?.lastIncrementalSync)),
    status: h.status,
    lastError: h.lastError,
  };
}

export function calendarStatus(
  calendar: ClientCalendar,
  state: CalendarSyncState | null,
  token: OAuthToken | undefined,
): CalendarStatusView {
  return {
    ...calendarRow(calendar, state, token),
    syncState: token?.needsReauth ? 'needs_reauth' : (state?.status ?? 'ok'),
    accessRole: calendar.accessRole,
    needsReauth: Boolean(token?.needsReauth) || state?.status === 'needs_reauth',
    consecutiveFailures: state?.consecutiveFailures ?? 0,
    lastFullSyncAt: iso(state?.lastFullSync),
    lastIncrementalSyncAt: iso(state?.lastIncrementalSync),
    nextRetryAt: iso(state?.nextRetryAt),
    connectedAt: iso(calendar.createdAt) ?? '',
    disconnectedAt: iso(calendar.disconnectedAt),
  };
}
