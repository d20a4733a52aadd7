import { isWritableRole } from '../../google/access-roles';
import {
  contentHash,
  GoogleEvent,
  isDeleted,
  isUnavailableBlock,
  KIND_KEY,
  observedHash,
  planUnavailable,
  UNAVAILABLE_KIND,
  USER_KEY,
} from '../rules';
import { upsert } from './execute';
import { SyncCal, UserRun } from './user-run';

/**
 * Makes a client calendar's "unavailable outside hours" series match its policy: they belong to the
 * calendar, not to an origin event, so they have no mapping rows; what Google lists is the record.
 * A full listing of the calendar serves as the record; otherwise one filtered listing. Only the differences
 * are written (a matching calendar costs no write).
 */
export async function reconcileUnavailable(run: UserRun, cal: SyncCal, listed?: GoogleEvent[]): Promise<number> {
  if (cal.plan.kind !== 'client' || !cal.plan.active || !isWritableRole(cal.plan.accessRole)) return 0;
  const want = planUnavailable(cal.plan.policy, {
    userId: run.userId,
    calendarId: cal.row.id,
    prefix: run.planCtx.managedEventPrefix,
    idKey: run.planCtx.idKey,
  });
  // A calendar without the option and without such blocks in a full listing costs nothing.
  if (listed && want.length === 0 && !listed.some(isUnavailableBlock)) return 0;
  const api = await run.api(cal);
  const gid = cal.row.googleCalendarId;
  const items =
    listed ?? (await api.listEvents(gid, { privateExtendedProperty: [`${KIND_KEY}=${UNAVAILABLE_KIND}`] })).items;
  const have = items.filter(
    (e) =>
      e.id &&
      !isDeleted(e) &&
      isUnavailableBlock(e) &&
      e.extendedProperties?.private?.[USER_KEY] === String(run.userId),
  );
  let writes = 0;
  for (const w of want) {
    const listed = have.find((e) => e.id === w.eventId);
    if (listed && observedHash(listed, w.body) === contentHash(w.body)) continue;
    await upsert(api, gid, w.eventId, w.body, false);
    writes++;
  }
  for (const e of have) {
    if (want.some((w) => w.eventId === e.id)) continue;
    await api.deleteEvent(gid, e.id as string);
    writes++;
  }
  run.stats.writes += writes;
  return writes;
}
