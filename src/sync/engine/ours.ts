import { EventMapping } from '../../database/entities';
import {
  GoogleEvent,
  isDeleted,
  isUnavailableBlock,
  mainFor,
  MAPPING_KEY,
  planMainCopyChange,
  planOrigin,
  USER_KEY,
} from '../rules';
import { copySeriesOf } from './classify';
import { existingFor, SeenCopies } from './existing';
import { seriesInfo } from './instances';
import { applyPlan, knownCalendars, originChange, replanMapping } from './process';
import { SyncCal, UserRun } from './user-run';

/**
 * An occurrence of one of our copy series that we hold no record of (someone edited or cancelled it on
 * a client or on main): the row of the origin's same occurrence, created if needed.
 */
async function occurrenceRow(run: UserRun, cal: SyncCal, itemId: string): Promise<EventMapping | null> {
  const found = await copySeriesOf(run, cal, itemId);
  if (!found || found.series.deletedAt || found.series.originRecurringEventId) return null;
  const { series, suffix } = found;
  const originEventId = `${series.originEventId}_${suffix}`;
  const row = await run.deps.mappings.findByOrigin(run.userId, series.originCalendarId, originEventId);
  if (row) return row;
  const key = {
    userId: run.userId,
    originType: series.originType,
    originCalendarId: series.originCalendarId,
    originEventId,
  };
  return run.deps.mappings.ensure(key, series.originICalUid, series.originEventId);
}

/** What we wrote on main for a mapping: its origin's copy (client) or a Busy (Personal) block. Not read off the item: a tombstone has no properties. */
function mainKindOf(mapping: EventMapping): 'copy' | 'personal' {
  return mapping.originType === 'personal' ? 'personal' : 'copy';
}

/** A managed event seen in a listing of `cal`: our echo (skipped), a user's edit, or a leftover. */
export async function processOurs(run: UserRun, cal: SyncCal, item: GoogleEvent): Promise<void> {
  const props = item.extendedProperties?.private ?? {};
  // Another BusyBridge user's event on a shared calendar; an item without properties is ours by our records.
  if (
    (props[USER_KEY] !== undefined && props[USER_KEY] !== String(run.userId)) ||
    !item.id ||
    cal.plan.kind === 'personal'
  )
    return;
  if (isUnavailableBlock(item)) return; // planned per calendar from its policy (unavailable-blocks.ts), not per origin
  const isMain = cal.plan.kind === 'main';
  const byRecord = isMain ? await run.deps.mappings.findByMainEvent(run.userId, item.id) : null;
  const block = isMain ? null : await run.deps.blocks.findByEvent(cal.row.id, item.id);
  const recordedEtag = isMain ? byRecord?.mainEventEtag : block?.etag;
  const recordedState = isMain ? byRecord?.mainCopyState : block?.state;
  const ourCancel = isDeleted(item) && recordedState === 'cancelled';
  if ((byRecord || block) && (recordedEtag === item.etag || ourCancel)) {
    run.stats.echoes++;
    return;
  }
  let recorded = byRecord ?? (block ? await run.deps.mappings.findById(block.eventMappingId) : null);
  if (!recorded) {
    const row = await occurrenceRow(run, cal, item.id);
    // A cancelled occurrence whose row is retired is our own cancellation of a leftover.
    if (row && !(isDeleted(item) && row.deletedAt)) recorded = row;
    else if (row) return;
  }
  if (!recorded && (isDeleted(item) || props[MAPPING_KEY] === undefined)) return; // the tombstone of a copy we deleted
  const mapping = recorded ?? (await run.deps.mappings.findById(Number(props[MAPPING_KEY])));
  if (
    !mapping ||
    mapping.userId !== run.userId ||
    (mapping.deletedAt && !recorded) ||
    (!recorded && (await isDuplicate(run, cal, mapping, item.id)))
  ) {
    // A leftover with no origin any more (e.g. written just before a crash whose origin then went), or a second copy.
    if (!isDeleted(item)) {
      await (await run.api(cal)).deleteEvent(cal.row.googleCalendarId, item.id);
      run.stats.writes++;
      await run.deps.syncLog.add({
        userId: run.userId,
        calendarId: cal.row.id,
        action: 'orphan_removed',
        status: 'warning',
        details: { eventId: item.id, mappingId: mapping?.id ?? null },
      });
    }
    return;
  }
  run.stats.changes++;
  const seen: SeenCopies = { byCalendar: new Map([[cal.row.id, item]]) };
  const before = await storedEtag(run, mapping.id, cal, item.id);
  if (isMain && recorded && mainKindOf(mapping) === 'copy') return mainCopyChanged(run, mapping, item, seen, before);
  await replanMapping(run, mapping, seen);
  await acceptEtag(run, mapping.id, cal, item, before);
}

/** Our marker with a live mapping whose copy on this calendar is another event: a duplicate. */
async function isDuplicate(run: UserRun, cal: SyncCal, mapping: EventMapping, eventId: string): Promise<boolean> {
  if (cal.plan.kind === 'main') return !!mapping.mainEventId && mapping.mainEventId !== eventId;
  const row = (await run.deps.blocks.listForMapping(mapping.id)).find((b) => b.clientCalendarId === cal.row.id);
  return !!row && row.busyBlockEventId !== eventId;
}

async function storedEtag(
  run: UserRun,
  mappingId: number,
  cal: SyncCal,
  eventId: string,
): Promise<string | null | undefined> {
  if (cal.plan.kind === 'main') {
    const m = await run.deps.mappings.findById(mappingId);
    return m?.mainEventId === eventId ? m.mainEventEtag : undefined;
  }
  const row = (await run.deps.blocks.listForMapping(mappingId)).find(
    (b) => b.clientCalendarId === cal.row.id && b.busyBlockEventId === eventId,
  );
  return row ? row.etag : undefined;
}

/**
 * A copy we re-read and did not rewrite (its content was already right): remember its etag so it is
 * not examined again. Skipped when this run wrote it, since the stored etag is then our write's.
 */
async function acceptEtag(
  run: UserRun,
  mappingId: number,
  cal: SyncCal,
  item: GoogleEvent,
  before: string | null | undefined,
  mainHash?: string,
): Promise<void> {
  if (!item.id || isDeleted(item)) return;
  const now = await storedEtag(run, mappingId, cal, item.id);
  if (now === undefined || now !== before || now === item.etag) return;
  if (cal.plan.kind === 'main') {
    const m = await run.deps.mappings.findById(mappingId);
    if (m) await run.deps.mappings.setMainCopy(mappingId, item.id, item.etag ?? null, mainHash ?? m.contentHash);
    return;
  }
  const row = (await run.deps.blocks.listForMapping(mappingId)).find((b) => b.clientCalendarId === cal.row.id);
  if (row) await run.deps.blocks.record(mappingId, cal.row.id, item.id, item.etag ?? null, row.contentHash);
}

/** Edit rights: the user changed or deleted a main copy (or one occurrence of a copied series). */
async function mainCopyChanged(
  run: UserRun,
  mapping: EventMapping,
  copy: GoogleEvent,
  seen: SeenCopies,
  before: string | null | undefined,
): Promise<void> {
  const cal = run.byId(mapping.originCalendarId);
  if (!cal || !run.main || cal.needsReauth) return;
  const origin = cal.plan.active
    ? await (await run.api(cal)).getEvent(cal.row.googleCalendarId, mapping.originEventId)
    : null;
  const series = mapping.originRecurringEventId
    ? await seriesInfo(run, cal, mapping.originRecurringEventId)
    : undefined;
  const change = await originChange(run, cal, mapping.originEventId, origin, series);
  const existing = await existingFor(run, mapping);
  const plan = planMainCopyChange(run.planCtx, copy, change, existing);
  const known = await knownCalendars(run, mapping);
  const pushed = plan.ops.some((o) => o.op === 'pushEditToOrigin');
  const result = await applyPlan(
    run,
    mapping,
    pushed ? { ops: plan.ops, mapping: null } : plan,
    origin?.etag ?? null,
    known,
  );
  let mainHash: string | undefined;
  if (pushed && result.updatedOrigin) {
    // The origin now says what the user wrote: derive blocks (and the copy, if Google normalised it) from it.
    const next = planOrigin(
      run.planCtx,
      { ...change, event: result.updatedOrigin },
      await existingFor(run, mapping, seen),
    );
    await applyPlan(run, mapping, next, result.updatedOrigin.etag ?? null, known);
    // The user's copy, kept as it is, now has the updated origin's content: record that, or a full pass rewrites it.
    mainHash = mainFor(run.planCtx, cal.plan, result.updatedOrigin, mapping.id, copy.id ?? '')?.hash;
  }
  if (plan.mapping?.state === 'dismissed') {
    // A dismissed occurrence stays cancelled on main (the series still produces it): remember that, not nothing.
    if (series && copy.id)
      await run.deps.mappings.setMainCopy(mapping.id, copy.id, copy.etag ?? null, null, 'cancelled');
    else await run.deps.mappings.setMainCopy(mapping.id, null, null, null);
  } else await acceptEtag(run, mapping.id, run.main, copy, before, mainHash);
}
