import { observedHash } from './bodies';
import { canEditOrigin, endInstant, isAllDay, isDeleted, startInstant } from './eligibility';
import { isWritableRole } from '../../google/access-roles';
import {
  EventBody,
  Existing,
  ExistingCopy,
  MappingFacts,
  MappingState,
  Operation,
  OriginChange,
  PlanCalendar,
  PlanContext,
} from './types';

export interface Desired {
  eventId: string;
  body: EventBody;
  hash: string;
}

export function calendarById(ctx: PlanContext, id: number): PlanCalendar | undefined {
  const { main, others } = ctx.calendars;
  return id === main.id ? main : others.find((c) => c.id === id);
}

export function writable(c: PlanCalendar): boolean {
  return isWritableRole(c.accessRole);
}

/** Only active, writable client calendars receive busy blocks; personal calendars are never written. */
export function activeClients(ctx: PlanContext): PlanCalendar[] {
  return ctx.calendars.others.filter((c) => c.kind === 'client' && c.active && writable(c));
}

export function facts(change: OriginChange, state: MappingState): MappingFacts {
  const e = change.event;
  const live = e && !isDeleted(e);
  return {
    state,
    userCanEdit: live ? change.calendar.kind === 'main' || canEditOrigin(e, change.calendar) : false,
    eventStart: live ? startInstant(e) : null,
    eventEnd: live ? endInstant(e) : null,
    isAllDay: live ? isAllDay(e) : false,
    isRecurring: live ? (e.recurrence?.length ?? 0) > 0 : false,
    iCalUid: e?.iCalUID ?? null,
    recurringEventId: e?.recurringEventId ?? change.series?.seriesId ?? null,
  };
}

/** Does what exists already say what we want? A known hash, else the listed event read through our body. */
export function upToDate(existing: ExistingCopy, want: Desired): boolean {
  if (existing.observed) return observedHash(existing.observed, want.body) === want.hash;
  return existing.contentHash === want.hash;
}

export function isCancelledCopy(existing: ExistingCopy): boolean {
  return existing.observed ? existing.observed.status === 'cancelled' : existing.cancelled === true;
}

/** Deletes every copy that exists and can be written (blocks on inactive calendars wait for cleanup). */
export function deleteAll(ctx: PlanContext, existing: Existing): Operation[] {
  const ops: Operation[] = [];
  if (existing.mainCopy && ctx.calendars.main.active)
    ops.push({ op: 'deleteMainCopy', calendarId: ctx.calendars.main.id, eventId: existing.mainCopy.eventId });
  for (const b of existing.busyBlocks) {
    if (calendarById(ctx, b.calendarId)?.active)
      ops.push({ op: 'deleteBusyBlock', calendarId: b.calendarId, eventId: b.eventId });
  }
  return ops;
}
