import { GoogleApiError } from '../../google/google-errors';
import { isDeleted, ORIGIN_KEY, USER_KEY } from '../rules';
import { SyncCal, UserRun } from './user-run';

export interface DisconnectResult {
  calendarId: number;
  deleted: number;
}

/** Deletes every event matching one private-property filter on `cal`. One filter: Google's AND/OR of repeats is unclear. */
async function deleteTagged(run: UserRun, cal: SyncCal, key: string, value: string): Promise<number> {
  const api = await run.api(cal);
  const { items } = await api.listEvents(cal.row.googleCalendarId, { privateExtendedProperty: [`${key}=${value}`] });
  let deleted = 0;
  for (const e of items) {
    // Only this user's events: a shared calendar may carry another BusyBridge user's blocks.
    if (!e.id || isDeleted(e) || e.extendedProperties?.private?.[USER_KEY] !== String(run.userId)) continue;
    await api.deleteEvent(cal.row.googleCalendarId, e.id);
    deleted++;
  }
  return deleted;
}

const UNREACHABLE = ['auth_revoked', 'not_found', 'forbidden', 'insufficient_scope'];

/**
 * A calendar we can no longer reach (revoked account, calendar gone or unshared) holds nothing we can
 * remove now; the rest of the cleanup goes on, and the consistency check removes what is left there
 * as orphans once the account is reconnected. Transient errors still throw: the caller retries.
 */
async function deleteTaggedIfReachable(run: UserRun, cal: SyncCal, key: string, value: string): Promise<number> {
  try {
    return await deleteTagged(run, cal, key, value);
  } catch (error) {
    if (!(error instanceof GoogleApiError) || !UNREACHABLE.includes(error.kind)) throw error;
    await run.deps.syncLog.add({
      userId: run.userId,
      calendarId: cal.row.id,
      action: 'disconnect_unreachable',
      status: 'warning',
      details: { error: error.kind },
    });
    return 0;
  }
}

/**
 * Disconnecting, on Google: (1) our blocks on the calendar itself, (2) the copies on main
 * derived from it, (3) the blocks on the other clients derived from it. Events are found by our private
 * extended properties across each whole calendar, so it works when mappings are missing. Then the
 * records: mappings from it soft-deleted, block rows removed, the calendar marked disconnected.
 * Throws if Google refuses, so the caller keeps the calendar connected and can retry.
 */
export async function disconnectCalendar(run: UserRun, cal: SyncCal): Promise<DisconnectResult> {
  const { deps } = run;
  const calId = String(cal.row.id);
  let deleted = 0;
  if (cal.plan.kind !== 'personal') deleted += await deleteTaggedIfReachable(run, cal, USER_KEY, String(run.userId));
  for (const other of run.calendars.values()) {
    if (other.row.id === cal.row.id || !other.plan.active || other.plan.kind === 'personal') continue;
    deleted += await deleteTaggedIfReachable(run, other, ORIGIN_KEY, calId);
  }
  const mappings = await deps.mappings.listLiveByOriginCalendar(cal.row.id);
  for (const m of mappings) {
    for (const b of await deps.blocks.listForMapping(m.id)) await deps.blocks.remove(m.id, b.clientCalendarId);
    if (m.mainEventId) await deps.mappings.setMainCopy(m.id, null, null, null);
  }
  await deps.mappings.markDeleted(
    mappings.map((m) => m.id),
    run.now,
  );
  await deps.blocks.removeForCalendar(cal.row.id);
  if (cal.plan.kind === 'main') {
    // Copies lived on this main calendar: forget them so the next main gets its own.
    for (const m of await deps.mappings.listWithMainCopy(run.userId))
      await deps.mappings.setMainCopy(m.id, null, null, null);
  }
  await deps.states.clearToken(cal.row.id);
  await deps.calendars.markDisconnected(cal.row.id, run.now);
  await deps.syncLog.add({
    userId: run.userId,
    calendarId: cal.row.id,
    action: 'disconnect',
    status: 'success',
    details: { deleted },
  });
  return { calendarId: cal.row.id, deleted };
}
