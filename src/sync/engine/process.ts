import { EventMapping } from '../../database/entities';
import { GoogleApiError } from '../../google/google-errors';
import {
  GoogleEvent, isDeleted, isIgnoredType, isOurs, KIND_KEY, MAPPING_KEY, Operation, OriginChange, Plan, planMainCopyChange,
  planOrigin, USER_KEY, withinLookback,
} from '../rules';
import { execute, ExecResult } from './execute';
import { existingFor, presenceFor, SeenCopies } from './existing';
import { SyncCal, UserRun } from './user-run';

function calendarOf(op: Operation): number {
  return op.calendarId;
}

/** Executes a plan op by op (each write recorded as it lands), then records the origin's facts last. */
async function applyPlan(run: UserRun, mapping: EventMapping, plan: Plan, originEtag: string | null, knownOn: Set<number>): Promise<ExecResult> {
  let result: ExecResult = {};
  for (const op of plan.ops) {
    const known = knownOn.has(calendarOf(op));
    try {
      const r = await execute(run, mapping.id, op, known);
      if (r.updatedOrigin) result = r;
    } catch (error) {
      // A refusal for one copy (403, 400) must not stall the calendar; everything else aborts the run.
      if (!(error instanceof GoogleApiError) || !['forbidden', 'bad_request', 'not_found'].includes(error.kind)) throw error;
      run.stats.skipped++;
      await run.deps.syncLog.add({ userId: run.userId, calendarId: op.calendarId, action: `write_${op.op}`, status: 'failure', details: { mappingId: mapping.id, error: error.kind, reason: error.reason ?? null } });
      originEtag = null; // not marked done: the next full pass plans it again
    }
  }
  if (plan.mapping) {
    const m = plan.mapping;
    await run.deps.mappings.recordFacts(mapping.id, {
      originEtag: result.updatedOrigin?.etag ?? originEtag,
      originICalUid: m.iCalUid,
      originRecurringEventId: m.recurringEventId,
      eventStart: m.eventStart,
      eventEnd: m.eventEnd,
      isAllDay: m.isAllDay,
      isRecurring: m.isRecurring,
      userCanEdit: m.userCanEdit,
      state: m.state,
    });
  }
  return result;
}

async function knownCalendars(run: UserRun, mapping: EventMapping): Promise<Set<number>> {
  const known = new Set((await run.deps.blocks.listForMapping(mapping.id)).map((b) => b.clientCalendarId));
  if (mapping.mainEventId && run.main) known.add(run.main.row.id);
  return known;
}

async function originChange(run: UserRun, cal: SyncCal, eventId: string, event: GoogleEvent | null): Promise<OriginChange> {
  return { calendar: cal.plan, eventId, event, iCalUidPresentOn: await presenceFor(run, cal.row.id, event?.iCalUID) };
}

/** The same meeting on the user's other calendars is re-planned when one of its appearances comes or goes. */
async function replanSiblings(run: UserRun, mapping: EventMapping, iCalUid: string | null | undefined): Promise<void> {
  if (!iCalUid) return;
  const siblings = await run.deps.mappings.findLiveByICalUid(run.userId, iCalUid);
  for (const s of siblings) if (s.id !== mapping.id && s.originCalendarId !== mapping.originCalendarId) await replanMapping(run, s);
}

export interface OriginOptions {
  /** Plan even when the origin's etag says it was already handled (full passes verify the copies). */
  force?: boolean;
  seen?: SeenCopies;
}

/** One origin event from a listing of its own calendar. */
export async function processOrigin(run: UserRun, cal: SyncCal, event: GoogleEvent, opts: OriginOptions = {}): Promise<void> {
  if (isOurs(event) || !event.id) return;
  let mapping = await run.deps.mappings.findByOrigin(run.userId, cal.row.id, event.id);
  if (!opts.force && mapping && event.etag && mapping.originEtag === event.etag) {
    run.stats.echoes++;
    return;
  }
  const deleted = isDeleted(event);
  if (deleted && (!mapping || mapping.deletedAt)) return;
  const fresh = !mapping;
  if (!mapping) {
    if (isIgnoredType(event) || !withinLookback(event, run.now, run.planCtx.lookbackDays)) return;
    mapping = await run.deps.mappings.ensure({ userId: run.userId, originType: cal.plan.kind, originCalendarId: cal.row.id, originEventId: event.id }, event.iCalUID ?? null);
  }
  run.stats.changes++;
  const plan = planOrigin(run.planCtx, await originChange(run, cal, event.id, deleted ? null : event), await existingFor(run, mapping, opts.seen));
  await applyPlan(run, mapping, plan, event.etag ?? null, await knownCalendars(run, mapping));
  if (fresh || plan.mapping?.state === 'deleted') await replanSiblings(run, mapping, event.iCalUID ?? mapping.originICalUid);
}

/** Re-plans a mapping from its origin as Google has it now (fetched), with what a listing showed of its copies. */
export async function replanMapping(run: UserRun, mapping: EventMapping, seen?: SeenCopies): Promise<void> {
  const cal = run.byId(mapping.originCalendarId);
  const origin = cal?.plan.active ? await (await run.api(cal)).getEvent(cal.row.googleCalendarId, mapping.originEventId) : null;
  if (!cal) return;
  run.stats.changes++;
  const plan = planOrigin(run.planCtx, await originChange(run, cal, mapping.originEventId, origin), await existingFor(run, mapping, seen));
  await applyPlan(run, mapping, plan, origin?.etag ?? null, await knownCalendars(run, mapping));
}

/** A managed event seen in a listing of `cal`: our echo (skipped), a user's edit, or a leftover. */
export async function processOurs(run: UserRun, cal: SyncCal, item: GoogleEvent): Promise<void> {
  const props = item.extendedProperties?.private ?? {};
  if (props[USER_KEY] !== String(run.userId) || !item.id || cal.plan.kind === 'personal') return;
  const isMain = cal.plan.kind === 'main';
  const byRecord = isMain ? await run.deps.mappings.findByMainEvent(run.userId, item.id) : null;
  const block = isMain ? null : await run.deps.blocks.findByEvent(cal.row.id, item.id);
  const recordedEtag = isMain ? byRecord?.mainEventEtag : block?.etag;
  if ((byRecord || block) && recordedEtag === item.etag) {
    run.stats.echoes++;
    return;
  }
  const recorded = byRecord ?? (block ? await run.deps.mappings.findById(block.eventMappingId) : null);
  if (!recorded && isDeleted(item)) return; // the tombstone of a copy we deleted
  const mapping = recorded ?? (await run.deps.mappings.findById(Number(props[MAPPING_KEY])));
  if (!mapping || mapping.userId !== run.userId || (mapping.deletedAt && !recorded)) {
    // A leftover with no origin any more (e.g. written just before a crash whose origin then went).
    if (!isDeleted(item)) {
      await (await run.api(cal)).deleteEvent(cal.row.googleCalendarId, item.id);
      run.stats.writes++;
    }
    return;
  }
  run.stats.changes++;
  const seen: SeenCopies = { byCalendar: new Map([[cal.row.id, item]]) };
  const before = await storedEtag(run, mapping.id, cal, item.id);
  if (isMain && recorded && props[KIND_KEY] === 'copy') return mainCopyChanged(run, mapping, item, seen, before);
  await replanMapping(run, mapping, seen);
  await acceptEtag(run, mapping.id, cal, item, before);
}

async function storedEtag(run: UserRun, mappingId: number, cal: SyncCal, eventId: string): Promise<string | null | undefined> {
  if (cal.plan.kind === 'main') {
    const m = await run.deps.mappings.findById(mappingId);
    return m?.mainEventId === eventId ? m.mainEventEtag : undefined;
  }
  const row = (await run.deps.blocks.listForMapping(mappingId)).find((b) => b.clientCalendarId === cal.row.id && b.busyBlockEventId === eventId);
  return row ? row.etag : undefined;
}

/**
 * A copy we re-read and did not rewrite (its content was already right): remember its etag so it is
 * not examined again. Skipped when this run wrote it, since the stored etag is then our write's.
 */
async function acceptEtag(run: UserRun, mappingId: number, cal: SyncCal, item: GoogleEvent, before: string | null | undefined): Promise<void> {
  if (!item.id || isDeleted(item)) return;
  const now = await storedEtag(run, mappingId, cal, item.id);
  if (now === undefined || now !== before || now === item.etag) return;
  if (cal.plan.kind === 'main') {
    const m = await run.deps.mappings.findById(mappingId);
    if (m) await run.deps.mappings.setMainCopy(mappingId, item.id, item.etag ?? null, m.contentHash);
    return;
  }
  const row = (await run.deps.blocks.listForMapping(mappingId)).find((b) => b.clientCalendarId === cal.row.id);
  if (row) await run.deps.blocks.record(mappingId, cal.row.id, item.id, item.etag ?? null, row.contentHash);
}

/** SPEC "Edit Rights": the user changed or deleted a main copy. */
async function mainCopyChanged(run: UserRun, mapping: EventMapping, copy: GoogleEvent, seen: SeenCopies, before: string | null | undefined): Promise<void> {
  const cal = run.byId(mapping.originCalendarId);
  if (!cal || !run.main) return;
  const origin = cal.plan.active ? await (await run.api(cal)).getEvent(cal.row.googleCalendarId, mapping.originEventId) : null;
  const change = await originChange(run, cal, mapping.originEventId, origin);
  const existing = await existingFor(run, mapping);
  const plan = planMainCopyChange(run.planCtx, copy, change, existing);
  const known = await knownCalendars(run, mapping);
  const pushed = plan.ops.some((o) => o.op === 'pushEditToOrigin');
  const result = await applyPlan(run, mapping, pushed ? { ops: plan.ops, mapping: null } : plan, origin?.etag ?? null, known);
  if (pushed && result.updatedOrigin) {
    // The origin now says what the user wrote: derive blocks (and the copy, if Google normalised it) from it.
    const next = planOrigin(run.planCtx, { ...change, event: result.updatedOrigin }, await existingFor(run, mapping, seen));
    await applyPlan(run, mapping, next, result.updatedOrigin.etag ?? null, known);
  }
  if (plan.mapping?.state === 'dismissed') await run.deps.mappings.setMainCopy(mapping.id, null, null, null);
  else await acceptEtag(run, mapping.id, run.main, copy, before);
}
