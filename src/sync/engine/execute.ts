import { GoogleCalendarApi } from '../../google/calendar-api';
import { GoogleApiError } from '../../google/google-errors';
import { EventBody, GoogleEvent, isInstanceId, Operation } from '../rules';
import { SyncCal, UserRun } from './user-run';

export interface ExecResult {
  /** The origin as Google returned it after we patched it (edit pushed or invitation declined). */
  updatedOrigin?: GoogleEvent;
}

/**
 * Insert with our deterministic id; 409 means it already exists (our earlier write that was never
 * recorded, or a cancelled tombstone of it), so update it: the body says status confirmed, which revives
 * a tombstone. No get in between: the id is ours by construction and update replaces the whole event.
 * An update that finds nothing (404, someone purged it) falls back to insert.
 */
export async function upsert(
  api: GoogleCalendarApi,
  calendarId: string,
  eventId: string,
  body: EventBody,
  known: boolean,
): Promise<GoogleEvent> {
  const insert = () => api.insertEvent(calendarId, { ...body, id: eventId });
  const update = () => api.updateEvent(calendarId, eventId, body);
  // An occurrence of a copy series exists as soon as the series does: PUT makes it an exception (or revives
  // a cancelled one). It can never be inserted; a 404 means the copy series lacks it and is reported.
  if (isInstanceId(eventId)) return update();
  try {
    return known ? await update() : await insert();
  } catch (error) {
    if (!(error instanceof GoogleApiError)) throw error;
    if (!known && error.kind === 'duplicate') return update();
    if (known && (error.kind === 'not_found' || error.kind === 'deleted')) return insert();
    throw error;
  }
}

function target(run: UserRun, calendarId: number): SyncCal {
  const cal = run.byId(calendarId);
  if (!cal) throw new Error(`Calendar ${calendarId} is not one of user ${run.userId}'s calendars`);
  return cal;
}

/** One Google write, then its database record: the record is what makes the next run skip it. */
export async function execute(run: UserRun, mappingId: number, op: Operation, known: boolean): Promise<ExecResult> {
  const { deps } = run;
  const cal = target(run, op.calendarId);
  const api = await run.api(cal);
  const gid = cal.row.googleCalendarId;
  const landed = async () => {
    run.stats.writes++;
    run.stats.lastWriteAt = Date.now();
    deps.onWriteLanded?.(op.op);
    if (op.op === 'pushEditToOrigin' || op.op === 'deleteOrigin' || op.op === 'declineOrigin') run.forgetShown(cal);
    await deps.hooks.afterGoogleWrite?.(op);
  };
  switch (op.op) {
    case 'upsertMainCopy': {
      const written = await upsert(api, gid, op.eventId, op.body, known);
      await landed();
      await deps.mappings.setMainCopy(mappingId, op.eventId, written.etag ?? null, op.contentHash);
      return {};
    }
    case 'upsertBusyBlock': {
      const written = await upsert(api, gid, op.eventId, op.body, known);
      await landed();
      await deps.blocks.record(mappingId, op.calendarId, op.eventId, written.etag ?? null, op.contentHash);
      return {};
    }
    // A cancelled occurrence stays recorded as cancelled: the copy series would otherwise still show it.
    case 'deleteMainCopy':
      await api.deleteEvent(gid, op.eventId);
      await landed();
      if (op.cancelInstance) await deps.mappings.setMainCopy(mappingId, op.eventId, null, null, 'cancelled');
      else await deps.mappings.setMainCopy(mappingId, null, null, null);
      return {};
    case 'deleteBusyBlock':
      await api.deleteEvent(gid, op.eventId);
      await landed();
      if (op.cancelInstance) await deps.blocks.record(mappingId, op.calendarId, op.eventId, null, null, 'cancelled');
      else await deps.blocks.remove(mappingId, op.calendarId);
      return {};
    case 'pushEditToOrigin': {
      const updated = await api.patchEvent(gid, op.eventId, op.patch);
      await landed();
      return { updatedOrigin: updated };
    }
    case 'declineOrigin': {
      const updated = await api.patchEvent(gid, op.eventId, { attendeesOmitted: true, attendees: op.attendees });
      await landed();
      return { updatedOrigin: updated };
    }
    case 'deleteOrigin':
      await api.deleteEvent(gid, op.eventId);
      await landed();
      return {};
  }
}
