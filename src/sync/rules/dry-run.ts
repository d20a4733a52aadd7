import { blocksTime, isDeclined, isDeleted, isIgnoredType, isOurs, withinLookback } from './eligibility';
import { activeClients } from './plan-common';
import { blockFor, OriginListing, presence, previewItem } from './policy-preview';
import { PlanContext, PlanCalendar } from './types';
import { planUnavailable } from './unavailable';

export interface DryRunItem {
  start: string;
  end: string;
  allDay: boolean;
  title: string;
  calendar: string;
  action: 'create';
}

export interface DryRunResult {
  dryRun: true;
  busyBlocks: number;
  mainCopies: number;
  otherBlocks: number;
  items: DryRunItem[];
}

export const DRY_RUN_ITEMS = 100;

/**
 * What connecting client calendar `added` would write, from full listings of every active calendar
 * (the new one included) over the sync window: blocks on it for the others' events (and its
 * unavailable series), copies of its events on main, blocks for its events on the other clients. The
 * planner's rules, read-only: a series counts once, its modified occurrences not at all.
 */
export function planConnect(
  ctx: PlanContext,
  added: PlanCalendar,
  listings: OriginListing[],
  names: Map<number, string>,
): DryRunResult {
  const result: DryRunResult = { dryRun: true, busyBlocks: 0, mainCopies: 0, otherBlocks: 0, items: [] };
  const present = presence(listings);
  const prefix = ctx.managedEventPrefix;
  const add = (calendar: PlanCalendar, item: ReturnType<typeof previewItem>) => {
    if (result.items.length < DRY_RUN_ITEMS)
      result.items.push({
        start: item.start,
        end: item.end,
        allDay: item.allDay,
        title: item.title,
        calendar: names.get(calendar.id) ?? String(calendar.id),
        action: 'create',
      });
  };
  const others = activeClients(ctx).filter((c) => c.id !== added.id);
  for (const { calendar, events } of listings) {
    if (!calendar.active) continue;
    for (const e of events) {
      if (
        isOurs(e) ||
        isDeleted(e) ||
        isIgnoredType(e) ||
        e.recurringEventId ||
        !withinLookback(e, ctx.now, ctx.lookbackDays)
      )
        continue;
      if (calendar.id !== added.id) {
        const shape = blockFor(added, added.policy, e, calendar, present);
        if (shape) {
          result.busyBlocks++;
          add(added, previewItem(e, `${prefix} ${shape.title}`));
        }
        continue;
      }
      // The new calendar ranks after every calendar connected before it: a meeting already there stays theirs.
      const alsoOn = (e.iCalUID ? present.get(e.iCalUID) : undefined) ?? [];
      if (alsoOn.some((c) => c.id !== added.id && c.kind !== 'personal')) continue;
      if (!isDeclined(e, added)) {
        result.mainCopies++;
        add(ctx.calendars.main, previewItem(e));
      }
      if (!blocksTime(e, added)) continue;
      for (const target of others) {
        const shape = blockFor(target, target.policy, e, added, present);
        if (!shape) continue;
        result.otherBlocks++;
        add(target, previewItem(e, `${prefix} ${shape.title}`));
      }
    }
  }
  for (const series of planUnavailable(added.policy, {
    userId: ctx.calendars.userId,
    calendarId: added.id,
    prefix,
    idKey: ctx.idKey,
  })) {
    result.busyBlocks++;
    add(added, previewItem(series.body));
  }
  return result;
}
