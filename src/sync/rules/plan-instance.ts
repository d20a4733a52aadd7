import { busyBlockBody, contentHash, mainCopyBody } from './bodies';
import { copyIdForOrigin, instanceSuffix } from './copy-ids';
import { blocksTime, isDeclined, isDeleted, isOurs } from './eligibility';
import { calendarById, Desired, facts, isCancelledCopy, upToDate, writable } from './plan-common';
import { blockUnder } from './policy';
import { seriesShows } from './recurrence';
import { EventBody, Existing, ExistingCopy, GoogleEvent, Operation, OriginChange, Plan, PlanContext } from './types';

/** Recorded copies other than cancellations: what a leftover exception still shows on a calendar. */
function deleteShown(ctx: PlanContext, existing: Existing): Operation[] {
  const ops: Operation[] = [];
  const mainId = ctx.calendars.main.id;
  if (existing.mainCopy && ctx.calendars.main.active && !isCancelledCopy(existing.mainCopy))
    ops.push({ op: 'deleteMainCopy', calendarId: mainId, eventId: existing.mainCopy.eventId, cancelInstance: true });
  for (const b of existing.busyBlocks) {
    if (calendarById(ctx, b.calendarId)?.active && !isCancelledCopy(b))
      ops.push({ op: 'deleteBusyBlock', calendarId: b.calendarId, eventId: b.eventId, cancelInstance: true });
  }
  return ops;
}

/** What the occurrence should be on one calendar carrying the copy series: its body, or cancelled (null). */
function wantOn(
  ctx: PlanContext,
  change: OriginChange,
  existing: Existing,
  target: number,
  stamp: { userId: number; mappingId: number; originCalendarId: number },
): EventBody | null {
  const event = change.event as GoogleEvent;
  if (isDeleted(event)) return null;
  const origin = change.calendar;
  if (target === ctx.calendars.main.id) {
    if (existing.dismissed) return null; // the user removed this occurrence from main
    if (origin.kind === 'client')
      return isDeclined(event, origin) ? null : mainCopyBody(event, ctx.managedEventPrefix, { ...stamp, kind: 'copy' });
    return blocksTime(event, origin)
      ? busyBlockBody(event, ctx.managedEventPrefix, { ...stamp, kind: 'personal' })
      : null;
  }
  const shape = blocksTime(event, origin) ? blockUnder(calendarById(ctx, target)?.policy, event, origin) : null;
  return shape
    ? busyBlockBody(
        event,
        ctx.managedEventPrefix,
        { ...stamp, kind: origin.kind === 'personal' ? 'personal' : 'busy' },
        { title: shape.title },
      )
    : null;
}

/**
 * One occurrence of a copied series: its copy is the same occurrence of each copy series,
 * `{copy series id}_{suffix}`. A modified occurrence is written there as an exception (PUT on the
 * instance id), a cancelled one cancels it there; only calendars that carry the copy series are touched.
 * An occurrence the origin calendar no longer shows (an exception past a "this and following" trim, a moved
 * start) is a leftover: whatever it shows on the copies is cancelled and the row is retired.
 */
export function planInstance(ctx: PlanContext, change: OriginChange, existing: Existing): Plan {
  const series = change.series!;
  const event = change.event;
  if (event && isOurs(event)) return { ops: [], mapping: null };
  const suffix = instanceSuffix(change.eventId, series.seriesId);
  const seriesLive = !!series.event && !isDeleted(series.event);
  if (!seriesLive || !suffix || !seriesShows(series, suffix)) {
    // A deleted series takes its exceptions' copies with it (Google cancels them with the series copy).
    const ops = seriesLive ? deleteShown(ctx, existing) : [];
    return { ops, mapping: existing.mappingId === null ? null : facts(change, 'deleted') };
  }
  if (existing.mappingId === null) throw new Error('planInstance: an occurrence needs its mapping row first');
  const stamp = { userId: ctx.calendars.userId, mappingId: existing.mappingId, originCalendarId: change.calendar.id };
  const occurrence: GoogleEvent = event ?? { id: change.eventId, status: 'cancelled' };
  const seen: OriginChange = { ...change, event: occurrence };
  const mainId = ctx.calendars.main.id;
  const ops: Operation[] = [];
  for (const target of series.copiedTo) {
    const cal = calendarById(ctx, target);
    if (!cal?.active || (target !== mainId && !writable(cal))) continue;
    const isMain = target === mainId;
    const have: ExistingCopy | undefined = isMain
      ? (existing.mainCopy ?? undefined)
      : existing.busyBlocks.find((b) => b.calendarId === target);
    const eventId = copyIdForOrigin(
      ctx.idKey,
      ctx.calendars.userId,
      change.calendar.id,
      { id: change.eventId, recurringEventId: series.seriesId },
      target,
    );
    const body = wantOn(ctx, seen, existing, target, stamp);
    if (!body) {
      if (!have || !isCancelledCopy(have))
        ops.push({
          op: isMain ? 'deleteMainCopy' : 'deleteBusyBlock',
          calendarId: target,
          eventId,
          cancelInstance: true,
        });
      continue;
    }
    const want: Desired = { eventId, body, hash: contentHash(body) };
    if (have && upToDate(have, want)) continue;
    const kind = body.extendedProperties?.private?.busybridgeKind;
    if (isMain)
      ops.push({
        op: 'upsertMainCopy',
        calendarId: target,
        eventId,
        kind: kind === 'personal' ? 'personal' : 'copy',
        body,
        contentHash: want.hash,
      });
    else
      ops.push({
        op: 'upsertBusyBlock',
        calendarId: target,
        eventId,
        kind: kind === 'personal' ? 'personal' : 'busy',
        body,
        contentHash: want.hash,
      });
  }
  const state = isDeleted(occurrence) ? 'deleted' : existing.dismissed ? 'dismissed' : 'live';
  return { ops, mapping: facts(change, state) };
}
