import { EventMapping } from '../../database/entities';
import { GoogleEvent, isUnavailableBlock, USER_KEY } from '../rules';
import { classifyListed } from './classify';
import { Seen } from './existing';
import { Changes, fetchChanges } from './fetch-changes';
import { processOurs } from './ours';
import { Listed } from './instances';
import { processOrigin, replanMapping } from './process';
import { reconcileUnavailable } from './unavailable-blocks';
import { SyncCal, UserRun } from './user-run';

/** Safety valve: a full listing may not make us delete or rewrite more than this share of what we track... */
export const VALVE_SHARE = 0.5;
/** ...once at least this many are at stake (a user deleting two of three events is not an outage). */
export const VALVE_MIN = 3;

export interface CalendarSyncResult {
  calendarId: number;
  full: boolean;
  listed: number;
  valve: boolean;
}

/** Google refused to list the calendar itself (not one event): decides whether the calendar is reachable. */
export class CalendarAccessError extends Error {
  constructor(readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'CalendarAccessError';
  }
}

/** Every discrepancy a full pass repairs is logged for review. */
async function discrepancy(run: UserRun, cal: SyncCal, kind: string, details: Record<string, unknown>): Promise<void> {
  await run.deps.syncLog.add({
    userId: run.userId,
    calendarId: cal.row.id,
    action: `discrepancy_${kind}`,
    status: 'warning',
    details,
  });
}

function inWindow(m: EventMapping, start: Date): boolean {
  return m.isRecurring || !m.eventEnd || m.eventEnd.getTime() >= start.getTime();
}

/** Our records of copies on `cal` whose origin is current (history is outside a full listing's window). */
async function recordedCopiesOn(
  run: UserRun,
  cal: SyncCal,
): Promise<Array<{ mapping: EventMapping; eventId: string }>> {
  if (cal.plan.kind === 'main') {
    const rows = await run.deps.mappings.listWithMainCopy(run.userId);
    // A cancelled occurrence is not re-verified: only what shows on a calendar is.
    return rows
      .filter((m) => !m.deletedAt && m.mainCopyState !== 'cancelled' && inWindow(m, run.windowStart))
      .map((m) => ({ mapping: m, eventId: m.mainEventId as string }));
  }
  if (cal.plan.kind !== 'client') return [];
  const out: Array<{ mapping: EventMapping; eventId: string }> = [];
  for (const b of await run.deps.blocks.listForCalendar(cal.row.id)) {
    if (b.state === 'cancelled') continue;
    const m = await run.deps.mappings.findById(b.eventMappingId);
    if (m && !m.deletedAt && inWindow(m, run.windowStart)) out.push({ mapping: m, eventId: b.busyBlockEventId });
  }
  return out;
}

interface FullPassGaps {
  /** Tracked origins a complete listing no longer has. */
  vanished: EventMapping[];
  /** Copies we recorded on this calendar that the listing lacks. */
  missingCopies: Array<{ mapping: EventMapping; eventId: string }>;
  /** Set when the gaps look like an outage rather than people's deletions: nothing is repaired. */
  valve: string | null;
  details: Record<string, number>;
}

/** What a complete listing lacks compared with our records, and whether that trips the safety valve. */
async function fullPassGaps(
  run: UserRun,
  cal: SyncCal,
  natives: GoogleEvent[],
  ours: GoogleEvent[],
): Promise<FullPassGaps> {
  const listedIds = new Set(natives.map((e) => e.id));
  const tracked = (await run.deps.mappings.listLiveByOriginCalendar(cal.row.id)).filter((m) =>
    inWindow(m, run.windowStart),
  );
  const vanished = tracked.filter((m) => !listedIds.has(m.originEventId));
  const recorded = await recordedCopiesOn(run, cal);
  const mine = (e: GoogleEvent) =>
    (e.extendedProperties?.private?.[USER_KEY] ?? String(run.userId)) === String(run.userId);
  const oursListed = new Set(ours.filter(mine).map((e) => e.id));
  const missingCopies = recorded.filter((r) => !oursListed.has(r.eventId));
  const massDelete = vanished.length >= VALVE_MIN && vanished.length > VALVE_SHARE * tracked.length;
  const wiped = recorded.length >= VALVE_MIN && oursListed.size === 0;
  const valve = massDelete
    ? `A full listing of this calendar lacks ${vanished.length} of ${tracked.length} events BusyBridge tracks`
    : wiped
      ? `This calendar suddenly lists none of the ${recorded.length} events BusyBridge wrote there`
      : null;
  return {
    vanished,
    missingCopies,
    valve,
    details: { vanished: vanished.length, tracked: tracked.length, recorded: recorded.length },
  };
}

async function openValve(run: UserRun, cal: SyncCal, gaps: FullPassGaps): Promise<void> {
  const { deps } = run;
  await deps.syncLog.add({
    userId: run.userId,
    calendarId: cal.row.id,
    action: 'safety_valve',
    status: 'warning',
    details: gaps.details,
  });
  await deps.states.recordFailure(cal.row.id, 'error', `Safety valve: ${gaps.valve}; nothing was deleted`);
  await deps.raiseAlert({
    type: 'sync_failures',
    userId: run.userId,
    calendarId: cal.row.id,
    calendarName: cal.row.displayName,
    error: `${gaps.valve}. Nothing was deleted.`,
    action:
      'Check the calendar in Google Calendar. If the events were really removed, run a full re-sync from the dashboard.',
  });
}

/** Origins that vanished are planned as deleted (an occurrence is asked for); missing copies are written again. */
async function repairGaps(run: UserRun, cal: SyncCal, gaps: FullPassGaps, listed: Listed): Promise<void> {
  // Series first: an occurrence row whose series went is retired with it, not cancelled one by one.
  const vanished = [...gaps.vanished].sort(
    (a, b) => Number(!!a.originRecurringEventId) - Number(!!b.originRecurringEventId),
  );
  for (const m of vanished) {
    const row = await run.deps.mappings.findById(m.id);
    if (!row || row.deletedAt) continue;
    await discrepancy(run, cal, 'origin_gone', { mappingId: m.id });
    // An occurrence missing from a listing is asked for: Google still answers for a cancelled or plain occurrence.
    if (m.originRecurringEventId) await replanMapping(run, row, undefined, listed);
    else await processOrigin(run, cal, { id: m.originEventId, status: 'cancelled' }, { force: true });
  }
  for (const { mapping, eventId } of gaps.missingCopies) {
    const absent: Seen = 'absent';
    await discrepancy(run, cal, 'copy_missing', { mappingId: mapping.id, eventId });
    await replanMapping(run, mapping, { byCalendar: new Map([[cal.row.id, absent]]) });
  }
}

async function listChanges(run: UserRun, cal: SyncCal, forceFull: boolean): Promise<Changes> {
  const state = await run.deps.states.get(cal.row.id);
  try {
    return await fetchChanges(
      await run.api(cal),
      cal.row.googleCalendarId,
      forceFull ? null : (state?.syncToken ?? null),
      run.windowStart,
    );
  } catch (error) {
    throw new CalendarAccessError(error);
  }
}

/**
 * One calendar's main road: list changes, tell our own events from people's by our records, plan and
 * execute each change, and save the new sync token last. A full listing also finds origins that vanished
 * and copies someone removed; the safety valve stops it from mass-deleting when a calendar suddenly looks
 * empty.
 */
export async function syncCalendar(run: UserRun, cal: SyncCal, forceFull: boolean): Promise<CalendarSyncResult> {
  const changes = await listChanges(run, cal, forceFull);
  const { natives, ours } = await classifyListed(run, cal, changes.items);
  // A series before its occurrences: an occurrence's copy is an instance of the series' copy.
  natives.sort((a, b) => Number(!!a.recurringEventId) - Number(!!b.recurringEventId));
  const listed: Listed = new Map(natives.filter((e) => e.id).map((e) => [e.id as string, e]));
  const result: CalendarSyncResult = {
    calendarId: cal.row.id,
    full: changes.full,
    listed: changes.items.length,
    valve: false,
  };
  const gaps = changes.full ? await fullPassGaps(run, cal, natives, ours) : null;
  if (gaps?.valve) {
    await openValve(run, cal, gaps);
    return { ...result, valve: true };
  }
  for (const event of natives) await processOrigin(run, cal, event, { force: changes.full, listed });
  for (const event of ours) await processOurs(run, cal, event);
  if (changes.full || ours.some(isUnavailableBlock))
    await reconcileUnavailable(run, cal, changes.full ? ours : undefined);
  if (gaps) await repairGaps(run, cal, gaps, listed);
  // Last: every change this token covers has been applied (invariant 5).
  await run.deps.states.saveToken(cal.row.id, changes.nextSyncToken, changes.full, run.now);
  return result;
}
