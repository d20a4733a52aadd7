import { GoogleApiError } from '../../google/google-errors';
import { EventMapping } from '../../database/entities';
import { GoogleEvent, instanceSuffix, isDeleted, SeriesInfo, seriesShows, ShownOccurrences } from '../rules';
import { SyncCal, UserRun } from './user-run';

/** Events of the listing being processed, by id: occurrences find their series there before fetching it. */
export type Listed = Map<string, GoogleEvent>;

/** The series of an occurrence on `cal`: from the listing, else fetched once per run; and where it was copied. */
export async function seriesInfo(run: UserRun, cal: SyncCal, seriesId: string, listed?: Listed): Promise<SeriesInfo> {
  const key = `${cal.row.id}:${seriesId}`;
  let event = listed?.get(seriesId) ?? run.seriesCache.get(key);
  if (event === undefined) {
    event = cal.plan.active ? await (await run.api(cal)).getEvent(cal.row.googleCalendarId, seriesId) : null;
    run.seriesCache.set(key, event);
  }
  const mapping = await run.deps.mappings.findByOrigin(run.userId, cal.row.id, seriesId);
  const carriers = mapping ? await copiedTo(run, mapping) : [];
  const live = !!event && !isDeleted(event);
  // Only a series we copy is asked about: an occurrence of any other series plans nothing.
  const shown = live && carriers.length > 0 ? await shownOccurrences(run, cal, seriesId) : undefined;
  return { seriesId, event, copiedTo: carriers, ...(shown ? { shown } : {}) };
}

/**
 * The occurrences Google lists for a series on its own calendar (events.instances, cancelled ones included)
 * from the sync window on; once per series per run. Copies mirror these, not our reading of the RRULE.
 */
export async function shownOccurrences(
  run: UserRun,
  cal: SyncCal,
  seriesId: string,
): Promise<ShownOccurrences | undefined> {
  if (!cal.plan.active) return undefined;
  const key = `${cal.row.id}:${seriesId}`;
  const cached = run.shownCache.get(key);
  if (cached) return cached;
  const fromMs = run.windowStart.getTime();
  const api = await run.api(cal);
  let items: GoogleEvent[];
  try {
    items = await api.instances(cal.row.googleCalendarId, seriesId, {
      showDeleted: true,
      timeMin: new Date(fromMs).toISOString(),
    });
  } catch (error) {
    // The series went after it was listed: the rule decides now, the next sync sees the deletion.
    if (error instanceof GoogleApiError && (error.kind === 'deleted' || error.kind === 'not_found')) return undefined;
    throw error;
  }
  const suffixes = new Set(
    items.map((i) => (i.id ? instanceSuffix(i.id, seriesId) : null)).filter((x): x is string => !!x),
  );
  // An occurrence that ended just before the window is not listed: only starts from one day later are trusted.
  const shown = { suffixes, fromMs: fromMs + 86_400_000 };
  run.shownCache.set(key, shown);
  return shown;
}

/** Calendars that carry a live mapping's copy (main's row id for the main copy). */
export async function copiedTo(run: UserRun, mapping: EventMapping): Promise<number[]> {
  if (mapping.deletedAt) return [];
  const out = (await run.deps.blocks.listForMapping(mapping.id)).map((b) => b.clientCalendarId);
  if (mapping.mainEventId && run.main) out.unshift(run.main.row.id);
  return out;
}

/** Calendars holding a record (written or cancelled) of an occurrence row. */
async function recordedOn(run: UserRun, row: EventMapping): Promise<Set<number>> {
  const out = new Set((await run.deps.blocks.listForMapping(row.id)).map((b) => b.clientCalendarId));
  if (row.mainEventId && run.main) out.add(run.main.row.id);
  return out;
}

/**
 * After a series was planned: its occurrence rows follow it. A deleted series retires them (Google cancels
 * the exceptions of a deleted copy series with it: no writes). Records on calendars that no longer carry
 * the copy series are dropped. Returns the rows to plan again: leftovers the origin calendar no longer shows
 * (their copies get cancelled) and occurrences missing on a calendar that newly carries the series.
 */
export async function settleOccurrences(
  run: UserRun,
  cal: SyncCal,
  series: EventMapping,
  event: GoogleEvent | null,
): Promise<EventMapping[]> {
  const rows = await run.deps.mappings.listInstancesOf(run.userId, cal.row.id, series.originEventId);
  if (rows.length === 0) return [];
  const current = await run.deps.mappings.findById(series.id);
  if (!event || isDeleted(event) || !current || current.deletedAt) {
    await run.deps.mappings.retireInstancesOf(run.userId, cal.row.id, series.originEventId, run.now);
    return [];
  }
  const carriers = new Set(await copiedTo(run, current));
  const shown = carriers.size > 0 ? await shownOccurrences(run, cal, series.originEventId) : undefined;
  const due: EventMapping[] = [];
  for (const row of rows) {
    const recorded = await recordedOn(run, row);
    for (const calId of recorded) {
      if (carriers.has(calId)) continue;
      if (calId === run.main?.row.id) await run.deps.mappings.setMainCopy(row.id, null, null, null);
      else await run.deps.blocks.remove(row.id, calId);
      recorded.delete(calId);
    }
    const suffix = instanceSuffix(row.originEventId, series.originEventId);
    const leftover =
      !!suffix && !seriesShows({ seriesId: series.originEventId, event, copiedTo: [...carriers], shown }, suffix);
    if (leftover ? !row.deletedAt : [...carriers].some((c) => !recorded.has(c))) due.push(row);
  }
  return due;
}
