import { CalendarSyncState, ClientCalendar, OAuthToken, SyncLog, User } from '../database/entities';
import { health } from '../calendars/calendar-view';

export type SyncHealth = 'ok' | 'warning' | 'error' | 'none';

export interface AdminUserRow {
  id: number;
  email: string;
  displayName: string | null;
  isAdmin: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  calendarCount: number;
  syncStatus: SyncHealth;
}

export interface AdminCalendarView {
  id: number;
  type: string;
  displayName: string | null;
  googleCalendarId: string;
  accountEmail: string;
  isActive: boolean;
  status: 'ok' | 'warning' | 'error';
  syncState: string;
  lastSyncAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export interface LogEntryView {
  id: number;
  createdAt: string;
  userId: number | null;
  userEmail: string | null;
  calendarId: number | null;
  calendarName: string | null;
  action: string;
  status: string;
  details: string | null;
}

export const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

const RANK: Record<SyncHealth, number> = { none: 0, ok: 1, warning: 2, error: 3 };

/** The worst status among a user's calendars: what an admin scanning the list needs to see. */
export function worst(statuses: SyncHealth[]): SyncHealth {
  return statuses.reduce<SyncHealth>((acc, s) => (RANK[s] > RANK[acc] ? s : acc), 'none');
}

export function userRow(user: User, calendarCount: number, syncStatus: SyncHealth): AdminUserRow {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    isAdmin: user.isAdmin,
    lastLoginAt: iso(user.lastLoginAt),
    createdAt: iso(user.createdAt) ?? '',
    calendarCount,
    syncStatus,
  };
}

export function calendarView(
  calendar: ClientCalendar,
  state: CalendarSyncState | null,
  token: OAuthToken | undefined,
): AdminCalendarView {
  const h = health(state, token);
  const last = [state?.lastFullSync, state?.lastIncrementalSync]
    .filter((d): d is Date => Boolean(d))
    .map((d) => new Date(d).getTime());
  return {
    id: calendar.id,
    type: calendar.calendarType,
    displayName: calendar.displayName,
    googleCalendarId: calendar.googleCalendarId,
    accountEmail: token?.googleAccountEmail ?? '',
    isActive: calendar.isActive,
    status: h.status,
    syncState: token?.needsReauth ? 'needs_reauth' : (state?.status ?? 'ok'),
    lastSyncAt: last.length ? new Date(Math.max(...last)).toISOString() : null,
    lastError: h.lastError,
    consecutiveFailures: state?.consecutiveFailures ?? 0,
  };
}

export function logEntry(row: SyncLog, users: Map<number, string>, calendars: Map<number, string>): LogEntryView {
  return {
    id: row.id,
    createdAt: iso(row.createdAt) ?? '',
    userId: row.userId,
    userEmail: row.userId !== null ? (users.get(row.userId) ?? null) : null,
    calendarId: row.calendarId,
    calendarName: row.calendarId !== null ? (calendars.get(row.calendarId) ?? null) : null,
    action: row.action,
    status: row.status,
    details: row.details,
  };
}
