import { GoogleApiError } from '../../google/google-errors';
import { CalendarAccessError } from './calendar-sync';
import { SyncCal, UserRun } from './user-run';

/** This many consecutive failures of one calendar raise a sync_failures alert. */
export const ALERT_AFTER_FAILURES = 5;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 60 * 60_000;
/** Google's usage limits make a calendar read-only "for hours". */
const QUOTA_BACKOFF_MS = 60 * 60_000;

/** Kinds that mean the calendar itself is gone or closed to the connected account (not one event). */
const INACCESSIBLE = new Set(['not_found', 'insufficient_scope', 'forbidden']);

/**
 * When the poll tries a failing calendar again: exponential in the failures so far, full jitter over the
 * upper half (many calendars failing together do not retry together), never sooner than Retry-After.
 */
export function nextRetryDelay(
  failures: number,
  error: GoogleApiError | null,
  random: () => number = Math.random,
): number {
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(backoff / 2 + random() * (backoff / 2));
  const floor = Math.max(error?.retryAfterMs ?? 0, error?.kind === 'quota_exceeded' ? QUOTA_BACKOFF_MS : 0);
  return Math.max(jittered, floor);
}

export type FailureOutcome = 'needs_reauth' | 'inactive' | 'backoff' | 'error';

/**
 * One place decides what a failed sync of a calendar means (STYLE lesson 3): re-authentication (the
 * accounts room marks the token and alerts), an inaccessible calendar (made inactive, kept, alerted),
 * or a failure retried later with backoff that alerts once at the fifth in a row.
 */
export async function recordSyncFailure(
  run: UserRun,
  cal: SyncCal,
  error: unknown,
  full: boolean,
): Promise<FailureOutcome> {
  const { deps } = run;
  const access = error instanceof CalendarAccessError;
  const cause = access ? error.cause : error;
  const google = cause instanceof GoogleApiError ? cause : null;
  const kind = google?.kind ?? 'internal';
  const message = (cause as Error)?.message ?? String(cause);
  await deps.syncLog.add({
    userId: run.userId,
    calendarId: cal.row.id,
    action: full ? 'full_sync' : 'sync',
    status: 'failure',
    details: { error: kind, message: message.slice(0, 300) },
  });
  if (kind === 'auth_revoked') {
    await deps.states.recordFailure(cal.row.id, 'needs_reauth', message);
    return 'needs_reauth';
  }
  if (access && INACCESSIBLE.has(kind)) {
    await deps.states.recordFailure(cal.row.id, 'error', message);
    await deps.calendars.markInactive(cal.row.id);
    await deps.syncLog.add({
      userId: run.userId,
      calendarId: cal.row.id,
      action: 'calendar_inactive',
      status: 'warning',
      details: { error: kind },
    });
    const gone = kind === 'not_found';
    await deps.raiseAlert({
      type: 'calendar_inaccessible',
      userId: run.userId,
      calendarId: cal.row.id,
      calendarName: cal.row.displayName,
      error: gone
        ? 'Google says this calendar no longer exists or is no longer shared with the connected account.'
        : `Google refused access to this calendar (${google?.reason ?? kind}).`,
      action: gone
        ? 'Disconnect the calendar in BusyBridge, or reconnect it if it was shared again.'
        : 'Reconnect the calendar and grant BusyBridge access to your calendars.',
    });
    return 'inactive';
  }
  const transient = kind === 'transient' || kind === 'rate_limited' || kind === 'quota_exceeded';
  const failures = await deps.states.recordFailure(cal.row.id, transient ? 'backoff' : 'error', message);
  await deps.states.setNextRetry(cal.row.id, new Date(run.now.getTime() + nextRetryDelay(failures, google)));
  if (failures === ALERT_AFTER_FAILURES) {
    await deps.raiseAlert({
      type: 'sync_failures',
      userId: run.userId,
      calendarId: cal.row.id,
      calendarName: cal.row.displayName,
      error: `${failures} syncs of this calendar in a row failed; the last: ${message}`,
      action: 'BusyBridge keeps retrying with growing pauses. If this persists, run a full re-sync from the dashboard.',
    });
  }
  return transient ? 'backoff' : 'error';
}
