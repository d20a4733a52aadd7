import { EventMapping } from '../../database/entities';
import { GoogleEvent, isOurs } from '../rules';
import { parseCopyId } from '../rules/copy-ids';
import { SyncCal, UserRun } from './user-run';

export interface Classified {
  /** Events people made: origins to plan. */
  natives: GoogleEvent[];
  /** Events we wrote (or their tombstones): echoes, or a person's edit or removal of one of our copies. */
  ours: GoogleEvent[];
}

/** The mapping whose copy on `cal` has this exact event id, per our records (main copy or busy block). */
export async function recordedCopy(run: UserRun, cal: SyncCal, eventId: string): Promise<EventMapping | null> {
  if (cal.plan.kind === 'main') return run.deps.mappings.findByMainEvent(run.userId, eventId);
  if (cal.plan.kind !== 'client') return null;
  const block = await run.deps.blocks.findByEvent(cal.row.id, eventId);
  return block ? run.deps.mappings.findById(block.eventMappingId) : null;
}

/**
 * Is a listed item one of ours? Google's tombstone of a deleted event guarantees only its `id` (no
 * extended properties), so our marker cannot be what decides: our records do. The id is a main copy or
 * busy block we recorded on this calendar, or an occurrence of a copy series we recorded there. A live
 * event carrying our marker is ours too (written before its record landed, or by another of our users).
 */
export async function isOursByRecord(run: UserRun, cal: SyncCal, item: GoogleEvent): Promise<boolean> {
  if (isOurs(item)) return true;
  if (!item.id || cal.plan.kind === 'personal') return false;
  if (await recordedCopy(run, cal, item.id)) return true;
  const instance = parseCopyId(item.id);
  return !!instance?.suffix && !!(await recordedCopy(run, cal, instance.base));
}

export async function classifyListed(run: UserRun, cal: SyncCal, items: GoogleEvent[]): Promise<Classified> {
  const out: Classified = { natives: [], ours: [] };
  for (const item of items) ((await isOursByRecord(run, cal, item)) ? out.ours : out.natives).push(item);
  return out;
}

/** The series row an occurrence of one of our copy series on `cal` belongs to, per our records. */
export async function copySeriesOf(
  run: UserRun,
  cal: SyncCal,
  itemId: string,
): Promise<{ series: EventMapping; suffix: string } | null> {
  const parsed = parseCopyId(itemId);
  if (!parsed?.suffix) return null;
  const series = await recordedCopy(run, cal, parsed.base);
  return series ? { series, suffix: parsed.suffix } : null;
}
