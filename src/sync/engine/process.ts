import { EventMapping } from '../../database/entities';
import {
  GoogleEvent,
  isDeleted,
  isIgnoredType,
  isOurs,
  Operation,
  OriginChange,
  Plan,
  planOrigin,
  SeriesInfo,
  withinLookback,
} from '../rules';
import { execute, ExecResult } from './execute';
import { skipRefusedWrite } from './refusals';
import { existingFor, presenceFor, SeenCopies } from './existing';
import { Listed, seriesInfo, settleOccurrences } from './instances';
import { SyncCal, UserRun } from './user-run';

/**
 * Executes a plan (each write recorded as it lands), then records the origin's facts last. Ops on
 * different calendars run side by side, so a change reaches every target in one round trip rather than
 * one per target (the benchmark's propagation figures); ops on one calendar keep their order.
 */
export async function applyPlan(
  run: UserRun,
  mapping: EventMapping,
  plan: Plan,
  originEtag: string | null,
  knownOn: Set<number>,
): Promise<ExecResult> {
  let result: ExecResult = {};
  const byCalendar = new Map<number, Operation[]>();
  for (const op of plan.ops) byCalendar.set(op.calendarId, [...(byCalendar.get(op.calendarId) ?? []), op]);
  let fatal: { error: unknown } | null = null;
  await Promise.all(
    [...byCalendar.values()].map(async (ops) => {
      for (const op of ops) {
        if (fatal) return;
        // A target found closed earlier in this run (its account revoked) is not tried again.
        if (!run.byId(op.calendarId)?.plan.active) continue;
        try {
          const r = await execute(run, mapping.id, op, knownOn.has(op.calendarId));
          if (r.updatedOrigin) result = r;
        } catch (error) {
          if (!(await skipRefusedWrite(run, mapping.id, op, error))) {
            fatal ??= { error };
            return;
          }
          originEtag = null; // not marked done: the next full pass plans it again
        }
      }
    }),
  );
  if (fatal) throw (fatal as { error: unknown }).error;
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

export async function knownCalendars(run: UserRun, mapping: EventMapping): Promise<Set<number>> {
  const known = new Set((await run.deps.blocks.listForMapping(mapping.id)).map((b) => b.clientCalendarId));
  if (mapping.mainEventId && run.main) known.add(run.main.row.id);
  return known;
}

export async function originChange(
  run: UserRun,
  cal: SyncCal,
  eventId: string,
  event: GoogleEvent | null,
  series?: SeriesInfo,
): Promise<OriginChange> {
  // An occurrence follows its series' copies; the same-meeting rule (invariant 7) is decided for the series.
  const present = series ? [] : await presenceFor(run, cal.row.id, event?.iCalUID);
  return { calendar: cal.plan, eventId, event, iCalUidPresentOn: present, ...(series ? { series } : {}) };
}

/** The same meeting on the user's other calendars is re-planned when one of its appearances comes or goes. */
async function replanSiblings(run: UserRun, mapping: EventMapping, iCalUid: string | null | undefined): Promise<void> {
  if (!iCalUid) return;
  const siblings = await run.deps.mappings.findLiveByICalUid(run.userId, iCalUid);
  for (const s of siblings) {
    if (s.id !== mapping.id && s.originCalendarId !== mapping.originCalendarId && !s.originRecurringEventId)
      await replanMapping(run, s);
  }
}

export interface OriginOptions {
  /** Plan even when the origin's etag says it was already handled (full passes verify the copies). */
  force?: boolean;
  seen?: SeenCopies;
  listed?: Listed;
}

/**
 * After a series (or an event that was one) was planned, its occurrence rows follow it: each planned once.
 * An occurrence is never a series, so nothing here leads back to another series.
 */
async function afterSeries(
  run: UserRun,
  cal: SyncCal,
  mapping: EventMapping,
  event: GoogleEvent | null,
  listed?: Listed,
): Promise<void> {
  run.seriesCache.set(`${cal.row.id}:${mapping.originEventId}`, event);
  for (const row of await settleOccurrences(run, cal, mapping, event)) await planOnce(run, row, undefined, listed);
}

/** One origin event from a listing of its own calendar (a single event, a series, or one occurrence). */
export async function processOrigin(
  run: UserRun,
  cal: SyncCal,
  event: GoogleEvent,
  opts: OriginOptions = {},
): Promise<void> {
  if (isOurs(event) || !event.id) return;
  let mapping = await run.deps.mappings.findByOrigin(run.userId, cal.row.id, event.id);
  if (!opts.force && mapping && event.etag && mapping.originEtag === event.etag) {
    run.stats.echoes++;
    return;
  }
  const deleted = isDeleted(event);
  const seriesId = event.recurringEventId ?? mapping?.originRecurringEventId ?? null;
  const series = seriesId ? await seriesInfo(run, cal, seriesId, opts.listed) : undefined;
  // A cancelled occurrence is re-checked on full passes: a calendar that newly carries the series needs it cancelled too.
  if (deleted && mapping?.deletedAt && !(series && opts.force)) return;
  if (!mapping && series && series.copiedTo.length === 0) return; // an occurrence of a series we do not copy
  if (deleted && !mapping && !series) return;
  const fresh = !mapping;
  if (!mapping) {
    if (isIgnoredType(event) || !withinLookback(event, run.now, run.planCtx.lookbackDays)) return;
    mapping = await run.deps.mappings.ensure(
      { userId: run.userId, originType: cal.plan.kind, originCalendarId: cal.row.id, originEventId: event.id },
      event.iCalUID ?? null,
      seriesId,
    );
  }
  run.stats.changes++;
  const change = await originChange(run, cal, event.id, deleted && !series ? null : event, series);
  const plan = planOrigin(run.planCtx, change, await existingFor(run, mapping, opts.seen));
  await applyPlan(run, mapping, plan, event.etag ?? null, await knownCalendars(run, mapping));
  if (series) return;
  if (event.recurrence?.length || mapping.isRecurring || deleted)
    await afterSeries(run, cal, mapping, deleted ? null : event, opts.listed);
  if (fresh || plan.mapping?.state === 'deleted')
    await replanSiblings(run, mapping, event.iCalUID ?? mapping.originICalUid);
}

interface Planned {
  cal: SyncCal;
  origin: GoogleEvent | null;
  series?: SeriesInfo;
}

/** Plans one mapping from its origin as Google has it now (listed or fetched) and applies it; nothing follows on. */
async function planOnce(
  run: UserRun,
  mapping: EventMapping,
  seen?: SeenCopies,
  listed?: Listed,
): Promise<Planned | null> {
  const cal = run.byId(mapping.originCalendarId);
  // An origin we cannot read now is not planned as gone: the full pass after its reconnect replans it.
  if (!cal || cal.needsReauth) return null;
  const origin =
    listed?.get(mapping.originEventId) ??
    (cal.plan.active ? await (await run.api(cal)).getEvent(cal.row.googleCalendarId, mapping.originEventId) : null);
  const series = mapping.originRecurringEventId
    ? await seriesInfo(run, cal, mapping.originRecurringEventId, listed)
    : undefined;
  // An occurrence Google no longer knows is planned as cancelled (a leftover, or gone with its series).
  const occurrence = origin ?? (series ? { id: mapping.originEventId, status: 'cancelled' } : null);
  run.stats.changes++;
  const plan = planOrigin(
    run.planCtx,
    await originChange(run, cal, mapping.originEventId, occurrence, series),
    await existingFor(run, mapping, seen),
  );
  await applyPlan(run, mapping, plan, origin?.etag ?? null, await knownCalendars(run, mapping));
  return { cal, origin, ...(series ? { series } : {}) };
}

/** Re-plans a mapping with what a listing showed of its copies; a series takes its occurrence rows along. */
export async function replanMapping(
  run: UserRun,
  mapping: EventMapping,
  seen?: SeenCopies,
  listed?: Listed,
): Promise<void> {
  const done = await planOnce(run, mapping, seen, listed);
  if (!done || done.series || !(done.origin?.recurrence?.length || mapping.isRecurring)) return;
  await afterSeries(run, done.cal, mapping, done.origin && !isDeleted(done.origin) ? done.origin : null, listed);
}
