import { busyBlockBody, contentHash, editPatch, mainCopyBody, patchIsNoop } from './bodies';
import { copyIdForOrigin } from './copy-ids';
import {
  blocksTime,
  canEditOrigin,
  isDeclined,
  isDeleted,
  isIgnoredType,
  isInvitation,
  isOurs,
  outranks,
  selfAttendee,
  withinLookback,
} from './eligibility';
import { activeClients, calendarById, deleteAll, Desired, facts, upToDate, writable } from './plan-common';
import { planInstance } from './plan-instance';
import { blockUnder } from './policy';
import { Existing, GoogleEvent, Operation, OriginChange, Plan, PlanCalendar, PlanContext } from './types';

const NOTHING: Plan = { ops: [], mapping: null };

/**
 * The operations that make the copies of one origin event match it. Pure: the same inputs always give
 * the same operations, and planning again from the result gives none.
 */
export function planOrigin(ctx: PlanContext, change: OriginChange, existing: Existing): Plan {
  const { calendar, event } = change;
  if (event && isOurs(event)) return NOTHING;
  if (change.series) return planInstance(ctx, change, existing);
  if (!event || isDeleted(event)) {
    if (existing.mappingId === null) return NOTHING;
    return { ops: deleteAll(ctx, existing), mapping: facts(change, 'deleted') };
  }
  if (isIgnoredType(event))
    return { ops: deleteAll(ctx, existing), mapping: existing.mappingId === null ? null : facts(change, 'deleted') };
  // History is not imported; copies made while the event was current are kept in step.
  if (existing.mappingId === null && !withinLookback(event, ctx.now, ctx.lookbackDays)) return NOTHING;
  if (existing.mappingId === null) throw new Error('planOrigin: a live origin needs its mapping row first');
  if (existing.dismissed) return { ops: deleteAll(ctx, existing), mapping: facts(change, 'dismissed') };

  const present = change.iCalUidPresentOn.map((id) => calendarById(ctx, id)).filter((c): c is PlanCalendar => !!c);
  const deferred = present.some((c) => outranks(c, calendar));
  const stamp = { userId: ctx.calendars.userId, mappingId: existing.mappingId, originCalendarId: calendar.id };
  const idFor = (target: number) =>
    copyIdForOrigin(
      ctx.idKey,
      ctx.calendars.userId,
      calendar.id,
      { id: change.eventId, recurringEventId: event.recurringEventId },
      target,
    );
  const mainId = ctx.calendars.main.id;

  const mainActive = ctx.calendars.main.active;
  const main =
    deferred || !mainActive
      ? null
      : mainFor(ctx, calendar, event, existing.mappingId, existing.mainCopy?.eventId ?? idFor(mainId));

  const blockKind = calendar.kind === 'personal' ? 'personal' : 'busy';
  // Each client's policy decides whether (and how) the event blocks it.
  const targets = (deferred || !blocksTime(event, calendar) ? [] : activeClients(ctx))
    .filter((c) => c.id !== calendar.id && !present.some((p) => p.id === c.id))
    .flatMap((c) => {
      const shape = blockUnder(c.policy, event, calendar);
      return shape ? [{ ...c, shape }] : [];
    });

  const ops: Operation[] = [];
  if (main && !(existing.mainCopy && upToDate(existing.mainCopy, main))) {
    ops.push({
      op: 'upsertMainCopy',
      calendarId: mainId,
      eventId: main.eventId,
      kind: main.kind,
      body: main.body,
      contentHash: main.hash,
    });
  }
  if (!main && mainActive && existing.mainCopy)
    ops.push({ op: 'deleteMainCopy', calendarId: mainId, eventId: existing.mainCopy.eventId });

  for (const target of targets) {
    const have = existing.busyBlocks.find((b) => b.calendarId === target.id);
    const body = busyBlockBody(event, ctx.managedEventPrefix, { ...stamp, kind: blockKind }, target.shape);
    const want: Desired = { eventId: have?.eventId ?? idFor(target.id), body, hash: contentHash(body) };
    if (!have || !upToDate(have, want)) {
      ops.push({
        op: 'upsertBusyBlock',
        calendarId: target.id,
        eventId: want.eventId,
        kind: blockKind,
        body,
        contentHash: want.hash,
      });
    }
  }
  for (const b of existing.busyBlocks) {
    const writable = calendarById(ctx, b.calendarId)?.active === true;
    if (writable && !targets.some((t) => t.id === b.calendarId))
      ops.push({ op: 'deleteBusyBlock', calendarId: b.calendarId, eventId: b.eventId });
  }
  return { ops, mapping: facts(change, 'live') };
}

/** What main shows for a live origin event: its copy (client), its Busy (Personal) block, or nothing. */
export function mainFor(
  ctx: PlanContext,
  calendar: PlanCalendar,
  event: GoogleEvent,
  mappingId: number,
  eventId: string,
): (Desired & { kind: 'copy' | 'personal' }) | null {
  const stamp = { userId: ctx.calendars.userId, mappingId, originCalendarId: calendar.id };
  if (calendar.kind === 'client' && !isDeclined(event, calendar)) {
    const body = mainCopyBody(event, ctx.managedEventPrefix, { ...stamp, kind: 'copy' });
    return { eventId, body, hash: contentHash(body), kind: 'copy' };
  }
  if (calendar.kind === 'personal' && blocksTime(event, calendar)) {
    const body = busyBlockBody(event, ctx.managedEventPrefix, { ...stamp, kind: 'personal' });
    return { eventId, body, hash: contentHash(body), kind: 'personal' };
  }
  return null;
}

/**
 * Someone changed or deleted a main copy (its etag differs from the one we stored). With edit rights the
 * edit goes to the client origin (the engine then re-plans from the updated origin); without, the copy is
 * read-only and restored. Deleting it deletes the origin when allowed, else declines an invitation; the
 * blocks derived from it go either way and it is not recreated.
 */
export function planMainCopyChange(
  ctx: PlanContext,
  copy: GoogleEvent,
  change: OriginChange,
  existing: Existing,
): Plan {
  const origin = change.event;
  const asSeen: Existing = {
    ...existing,
    mainCopy: existing.mainCopy ? { ...existing.mainCopy, observed: copy } : null,
  };
  if (!origin || isDeleted(origin) || change.calendar.kind === 'main')
    return planOrigin(ctx, { ...change, event: null }, change.series ? asSeen : existing);
  if (change.calendar.kind === 'personal') return planOrigin(ctx, change, asSeen);
  // A dismissed occurrence stays cancelled on main: compared as seen, not recreated.
  if (existing.dismissed) return planOrigin(ctx, change, change.series ? asSeen : { ...existing, mainCopy: null });

  const mayEdit = canEditOrigin(origin, change.calendar);
  if (isDeleted(copy)) {
    const ops: Operation[] = [];
    const self = selfAttendee(origin, change.calendar);
    if (mayEdit) ops.push({ op: 'deleteOrigin', calendarId: change.calendar.id, eventId: change.eventId });
    // An RSVP is a write to the user's own copy: it needs a writable calendar too.
    else if (
      writable(change.calendar) &&
      isInvitation(origin, change.calendar) &&
      self &&
      self.responseStatus !== 'declined'
    ) {
      const attendees = [{ email: self.email, responseStatus: 'declined' }];
      ops.push({ op: 'declineOrigin', calendarId: change.calendar.id, eventId: change.eventId, attendees });
    }
    // An occurrence's blocks are cancelled on every copy series; a single event's recorded blocks deleted.
    if (change.series) ops.push(...planInstance(ctx, { ...change, event: null }, { ...asSeen, dismissed: true }).ops);
    else ops.push(...deleteAll(ctx, { ...existing, mainCopy: null }));
    return { ops, mapping: facts(change, 'dismissed') };
  }
  const patch = editPatch(copy, ctx.managedEventPrefix);
  if (mayEdit && !patchIsNoop(patch, origin)) {
    return {
      ops: [{ op: 'pushEditToOrigin', calendarId: change.calendar.id, eventId: change.eventId, patch }],
      mapping: facts(change, 'live'),
    };
  }
  return planOrigin(ctx, change, asSeen);
}
