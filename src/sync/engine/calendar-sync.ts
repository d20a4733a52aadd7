import { EventMapping } from '../../database/entities';
import { CANCELLED_HASH, isOurs, isUnavailableBlock, USER_KEY } from '../rules';
import { Seen } from './existing';
import { fetchChanges } from './fetch-changes';
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

/** SPEC "Consistency & Recovery": every discrepancy a full pass repairs is logged for review. */
async function discrepancy(run: UserRun, cal: SyncCal, kind: string, details: Record<string, unknown>): Promise<void> {
  await run.deps.syncLog.add({ userId: run.userId, calendarId: cal.row.id, action: `discrepancy_${kind}`, status: 'warning', details });
}

function inWindow(m: EventMapping, start: Date): boolean {
  return m.isRecurring || !m.eventEnd || m.eventEnd.getTime() >= start.getTime();
}

/** Our records of copies on `cal` whose origin is current (history is outside a full listing's window). */
async function recordedCopiesOn(run: UserRun, cal: SyncCal): Promise<Array<{ mapping: EventMapping; eventId: string }>> {
  if (cal.plan.kind === 'main') {
    const rows = await run.deps.mappings.listWithMainCopy(run.userId);
    // A cancelled occurrence is not re-verified: only what shows on a calendar is.
    return rows.filter((m) => !m.deletedAt && m.contentHash !== CANCELLED_HASH && inWindow(m, run.windowStart)).map((m) => ({ mapping: m, eventId: m.mainEventId as string }));
  }
  if (cal.plan.kind !== 'client') return [];
  const out: Array<{ mapping: EventMapping; eventId: string }> = [];
  for (const b of await run.deps.blocks.listForCalendar(cal.row.id)) {
    if (b.contentHash === CANCELLED_HASH) continue;
    const m = await run.deps.mappings.findById(b.eventMappingId);
    if (m && !m.deletedAt && inWindow(m, run.windowStart)) out.push({ mapping: m, eventId: b.busyBlockEventId });
  }
  return out;
}

/**
 * One calendar's main road (DESIGN.md section 4): list changes, skip our echoes, plan and execute each
 * change, and save the new sync token last. A full listing also finds origins that vanished and copies
 * someone removed; the safety valve stops it from mass-deleting when a calendar suddenly looks empty.
 */
export async function syncCalendar(run: UserRun, cal: SyncCal, forceFull: boolean): Promise<CalendarSyncResult> {
  const { deps } = run;
  const state = await deps.states.get(cal.row.id);
  const api = await run.api(cal);
  let changes: Awaited<ReturnType<typeof fetchChanges>>;
  try {
    changes = await fetchChanges(api, cal.row.googleCalendarId, forceFull ? null : (state?.syncToken ?? null), run.windowStart);
  } catch (error) {
    throw new CalendarAccessError(error);
  }
  // A series before its occurrences: an occurrence's copy is an instance of the series' copy.
  const natives = changes.items.filter((e) => !isOurs(e)).sort((a, b) => Number(!!a.recurringEventId) - Number(!!b.recurringEventId));
  const listed: Listed = new Map(natives.filter((e) => e.id).map((e) => [e.id as string, e]));
  const ours = changes.items.filter((e) => isOurs(e));
  const result: CalendarSyncResult = { calendarId: cal.row.id, full: changes.full, listed: changes.items.length, valve: false };

  let vanished: EventMapping[] = [];
  let missingCopies: Array<{ mapping: EventMapping; eventId: string }> = [];
  if (changes.full) {
    const listedIds = new Set(natives.map((e) => e.id));
    const tracked = (await deps.mappings.listLiveByOriginCalendar(cal.row.id)).filter((m) => inWindow(m, run.windowStart));
    vanished = tracked.filter((m) => !listedIds.has(m.originEventId));
    const recorded = await recordedCopiesOn(run, cal);
    const oursListed = new Set(ours.filter((e) => e.extendedProperties?.private?.[USER_KEY] === String(run.userId)).map((e) => e.id));
    missingCopies = recorded.filter((r) => !oursListed.has(r.eventId));
    const massDelete = vanished.length >= VALVE_MIN && vanished.length > VALVE_SHARE * tracked.length;
    const wiped = recorded.length >= VALVE_MIN && oursListed.size === 0;
    if (massDelete || wiped) {
      result.valve = true;
      const error = massDelete
        ? `A full listing of this calendar lacks ${vanished.length} of ${tracked.length} events BusyBridge tracks`
        : `This calendar suddenly lists none of the ${recorded.length} events BusyBridge wrote there`;
      await deps.syncLog.add({ userId: run.userId, calendarId: cal.row.id, action: 'safety_valve', status: 'warning', details: { vanished: vanished.length, tracked: tracked.length, recorded: recorded.length } });
      await deps.states.recordFailure(cal.row.id, 'error', `Safety valve: ${error}; nothing was deleted`);
      await deps.raiseAlert({ type: 'sync_failures', userId: run.userId, calendarId: cal.row.id, calendarName: cal.row.displayName, error: `${error}. Nothing was deleted.`, action: 'Check the calendar in Google Calendar. If the events were really removed, run a full re-sync from the dashboard.' });
      return result;
    }
  }

  for (const event of natives) await processOrigin(run, cal, event, { force: changes.full, listed });
  for (const event of ours) await processOurs(run, cal, event);
  if (changes.full || ours.some(isUnavailableBlock)) await reconcileUnavailable(run, cal, changes.full ? ours : undefined);
  // Series first: an occurrence row whose series went is retired with it, not cancelled one by one.
  vanished.sort((a, b) => Number(!!a.originRecurringEventId) - Number(!!b.originRecurringEventId));
  for (const m of vanished) {
    const row = await deps.mappings.findById(m.id);
    if (!row || row.deletedAt) continue;
    await discrepancy(run, cal, 'origin_gone', { mappingId: m.id });
    // An occurrence missing from a listing is asked for: Google still answers for a cancelled or plain occurrence.
    if (m.originRecurringEventId) await replanMapping(run, row, undefined, listed);
    else await processOrigin(run, cal, { id: m.originEventId, status: 'cancelled' }, { force: true });
  }
  for (const { mapping, eventId } of missingCopies) {
    const absent: Seen = 'absent';
    await discrepancy(run, cal, 'copy_missing', { mappingId: mapping.id, eventId });
    await replanMapping(run, mapping, { byCalendar: new Map([[cal.row.id, absent]]) });
  }
  // Last: every change this token covers has been applied (invariant 5).
  await deps.states.saveToken(cal.row.id, changes.nextSyncToken, changes.full, run.now);
  return result;
}
