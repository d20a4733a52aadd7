import { EventMapping } from '../../database/entities';
import { Existing, ExistingBlock, GoogleEvent } from '../rules';
import { UserRun } from './user-run';

/** A listing's view of one managed event: what Google shows now, or that it is absent. */
export type Seen = GoogleEvent | 'absent';

export interface SeenCopies {
  /** Keyed by calendar row id; the main calendar's key is its own row id. */
  byCalendar: Map<number, Seen>;
}

/**
 * What exists for a mapping: our records, corrected by what a listing showed. A listed copy with the
 * etag we stored is exactly what we wrote; one with another etag is compared by content; one missing
 * from the listing is treated as absent, so it is written again.
 */
export async function existingFor(run: UserRun, mapping: EventMapping | null, seen?: SeenCopies): Promise<Existing> {
  if (!mapping) return { mappingId: null, dismissed: false, mainCopy: null, busyBlocks: [] };
  const rows = await run.deps.blocks.listForMapping(mapping.id);
  let mainCopy: Existing['mainCopy'] = mapping.mainEventId
    ? {
        eventId: mapping.mainEventId,
        contentHash: mapping.contentHash,
        cancelled: mapping.mainCopyState === 'cancelled',
      }
    : null;
  let busyBlocks: ExistingBlock[] = rows.map((b) => ({
    calendarId: b.clientCalendarId,
    eventId: b.busyBlockEventId,
    contentHash: b.contentHash,
    cancelled: b.state === 'cancelled',
  }));
  const etags = new Map(rows.map((b) => [b.clientCalendarId, b.etag]));
  for (const [calendarId, view] of seen?.byCalendar ?? []) {
    const isMain = run.main?.row.id === calendarId;
    if (view === 'absent') {
      if (isMain) mainCopy = null;
      else busyBlocks = busyBlocks.filter((b) => b.calendarId !== calendarId);
      continue;
    }
    const stored = isMain ? (mainCopy?.eventId === view.id ? mapping.mainEventEtag : undefined) : etags.get(calendarId);
    if (stored !== undefined && stored === view.etag) continue;
    const copy = { eventId: view.id ?? '', contentHash: null, observed: view };
    if (isMain) mainCopy = copy;
    else busyBlocks = [...busyBlocks.filter((b) => b.calendarId !== calendarId), { ...copy, calendarId }];
  }
  return { mappingId: mapping.id, dismissed: mapping.dismissedAt !== null, mainCopy, busyBlocks };
}

/** Calendars other than `calendarId` where the same meeting is tracked natively (invariant 7). */
export async function presenceFor(
  run: UserRun,
  calendarId: number,
  iCalUid: string | null | undefined,
): Promise<number[]> {
  if (!iCalUid) return [];
  const rows = await run.deps.mappings.findLiveByICalUid(run.userId, iCalUid);
  // A calendar whose account awaits re-authentication still holds the meeting: it keeps its precedence.
  const connected = (id: number) => {
    const c = run.byId(id);
    return !!c && (c.plan.active || c.needsReauth);
  };
  const ids = rows.map((m) => m.originCalendarId).filter((id) => id !== calendarId && connected(id));
  return [...new Set(ids)];
}
