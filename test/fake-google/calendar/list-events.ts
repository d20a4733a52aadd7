import { DateTime } from 'luxon';
import { Errors } from '../errors';
import { Calendar, EventResource, Role, StoredEvent } from '../model';
import { World } from '../world';
import { endMs, parseQueryTime, startMs } from './event-times';
import { instanceFromParent, purgeTombstones } from './events-store';
import { expandSeries } from './recurrence';
import {
  compareKeys,
  decodePageToken,
  decodeSyncToken,
  encodePageToken,
  encodeSyncToken,
  SortKey,
} from './sync-tokens';

export type Query = Record<string, string | string[] | undefined>;

export interface ListResult {
  items: StoredEvent[];
  nextPageToken?: string;
  nextSyncToken?: string;
}

const NOT_WITH_SYNC_TOKEN = [
  'iCalUID',
  'orderBy',
  'privateExtendedProperty',
  'q',
  'sharedExtendedProperty',
  'timeMin',
  'timeMax',
  'updatedMin',
];

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const bool = (v: string | string[] | undefined): boolean => one(v) === 'true';

function maxResults(q: Query): number {
  const raw = one(q.maxResults);
  if (raw === undefined) return 250;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw Errors.invalid('Invalid value for maxResults', 'maxResults');
  return Math.min(n, 2500);
}

function parseProps(values: string[]): Array<[string, string]> {
  return values.map((v) => {
    const i = v.indexOf('=');
    if (i <= 0) throw Errors.invalid('Invalid extended property filter.');
    return [v.slice(0, i), v.slice(i + 1)];
  });
}

function matchesProps(
  bag: Record<string, string> | undefined,
  filters: Array<[string, string]>,
  mode: 'and' | 'or',
): boolean {
  if (!filters.length) return true;
  const hit = ([k, v]: [string, string]) => bag?.[k] === v;
  return mode === 'and' ? filters.every(hit) : filters.some(hit);
}

function matchesText(ev: EventResource, text: string): boolean {
  const hay = [
    ev.summary,
    ev.description,
    ev.location,
    ev.organizer?.email,
    ev.organizer?.displayName,
    ...(ev.attendees ?? []).flatMap((a) => [a.email, a.displayName]),
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

/** events.list: full listing, filters, expansion, keyset paging and incremental sync (fact sheet §3). */
export function listEvents(world: World, cal: Calendar, role: Role, q: Query): ListResult {
  const syncToken = one(q.syncToken);
  if (syncToken !== undefined) {
    const bad = NOT_WITH_SYNC_TOKEN.find((p) => q[p] !== undefined);
    if (bad) throw Errors.invalid(`The parameter ${bad} cannot be used together with syncToken.`, bad);
  }
  const singleEvents = bool(q.singleEvents) || role === 'freeBusyReader';
  const showDeleted = bool(q.showDeleted);
  const orderBy = one(q.orderBy);
  if (orderBy === 'startTime' && !singleEvents)
    throw Errors.badRequest('The requested ordering is not available for the particular query.');
  const timeMin = parseQueryTime(one(q.timeMin), 'timeMin');
  const timeMax = parseQueryTime(one(q.timeMax), 'timeMax');
  if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin) throw Errors.timeRangeEmpty();
  const updatedMin = parseQueryTime(one(q.updatedMin), 'updatedMin');
  const limit = maxResults(q);
  const pageToken = one(q.pageToken);
  const cursor = pageToken ? decodePageToken(pageToken) : undefined;

  purgeTombstones(world, cal);
  const since = syncToken !== undefined ? decodeSyncToken(cal, syncToken) : undefined;
  const incremental = since !== undefined || updatedMin !== undefined;
  const snapshot = cursor?.snapshot ?? world.currentSeq();
  const horizon =
    timeMax ?? DateTime.fromMillis(world.clock.now()).plus({ days: world.options.expansionHorizonDays }).toMillis();
  const from = timeMin ?? -8.64e15;

  const overlaps = (ev: EventResource) => {
    if (timeMin === undefined && timeMax === undefined) return true;
    const s = startMs(ev, cal.timeZone);
    const e = endMs(ev, cal.timeZone);
    return (
      (timeMin === undefined || e > timeMin || (s === e && s >= timeMin)) && (timeMax === undefined || s < timeMax)
    );
  };
  const stored = [...cal.events.values()].filter((ev) => since === undefined || ev.seq > since);
  const candidates: StoredEvent[] = [];
  for (const ev of stored) {
    const d = ev.data;
    const cancelled = d.status === 'cancelled';
    if (d.recurrence && singleEvents) {
      if (cancelled && !showDeleted && !incremental) continue;
      for (const occ of expandSeries(d, cal.timeZone, from, horizon)) {
        const id = `${d.id}_${occ.suffix}`;
        if (cal.events.has(id)) continue; // its exception stands in for it
        candidates.push(instanceFromParent(ev, occ.suffix, occ));
      }
      continue;
    }
    if (cancelled && !showDeleted && !incremental) {
      // Cancelled exceptions of live series are listed even without showDeleted when not expanding.
      const parent = d.recurringEventId ? cal.events.get(d.recurringEventId) : undefined;
      if (singleEvents || !parent || parent.data.status === 'cancelled') continue;
    }
    if (d.recurrence) {
      if ((timeMin !== undefined || timeMax !== undefined) && !expandSeries(d, cal.timeZone, from, horizon).length)
        continue;
    } else if (!overlaps(d)) continue;
    candidates.push(ev);
  }

  const mode = world.options.extendedPropertyFilter;
  const priv = parseProps(many(q.privateExtendedProperty));
  const shared = parseProps(many(q.sharedExtendedProperty));
  const iCalUID = one(q.iCalUID);
  const text = one(q.q);
  const types = many(q.eventTypes);
  const filtered = candidates.filter(({ data: d }) => {
    if (iCalUID !== undefined && d.iCalUID !== iCalUID) return false;
    if (!matchesProps(d.extendedProperties?.private as Record<string, string> | undefined, priv, mode)) return false;
    if (!matchesProps(d.extendedProperties?.shared as Record<string, string> | undefined, shared, mode)) return false;
    if (text && !matchesText(d, text)) return false;
    if (types.length && !types.includes(d.eventType ?? 'default')) return false;
    if (updatedMin !== undefined && Date.parse(d.updated ?? '') < updatedMin) return false;
    return true;
  });

  const keyOf = (ev: StoredEvent): SortKey =>
    orderBy === 'updated'
      ? [Date.parse(ev.data.updated ?? '') || 0, ev.data.id!]
      : [startMs(ev.data, cal.timeZone) || 0, ev.data.id!];
  const sorted = filtered.map((ev) => ({ ev, key: keyOf(ev) })).sort((a, b) => compareKeys(a.key, b.key));
  const after = cursor?.after;
  const remaining = after ? sorted.filter((x) => compareKeys(x.key, after) > 0) : sorted;
  const page = remaining.slice(0, limit);
  if (remaining.length > limit) {
    return {
      items: page.map((x) => x.ev),
      nextPageToken: encodePageToken({ after: page[page.length - 1].key, snapshot }),
    };
  }
  return { items: page.map((x) => x.ev), nextSyncToken: encodeSyncToken(cal, snapshot) };
}

/** events.instances: the series expanded with its exceptions overlaid. */
export function listInstances(world: World, cal: Calendar, seriesId: string, q: Query): ListResult {
  const parent = cal.events.get(seriesId);
  if (!parent) throw Errors.notFound();
  if (parent.data.status === 'cancelled') throw Errors.deleted();
  if (!parent.data.recurrence) return { items: [parent], nextSyncToken: undefined };
  const showDeleted = bool(q.showDeleted);
  const timeMin = parseQueryTime(one(q.timeMin), 'timeMin');
  const timeMax = parseQueryTime(one(q.timeMax), 'timeMax');
  const originalStart = parseQueryTime(one(q.originalStart), 'originalStart');
  const horizon =
    timeMax ?? DateTime.fromMillis(world.clock.now()).plus({ days: world.options.expansionHorizonDays }).toMillis();
  const limit = maxResults(q);
  const pageToken = one(q.pageToken);
  const offset = pageToken ? Number(Buffer.from(pageToken, 'base64url').toString('utf8')) || 0 : 0;
  const items: StoredEvent[] = [];
  for (const occ of expandSeries(parent.data, cal.timeZone, timeMin ?? -8.64e15, horizon)) {
    if (originalStart !== undefined && occ.startMs !== originalStart) continue;
    const ex = cal.events.get(`${seriesId}_${occ.suffix}`);
    if (ex?.data.status === 'cancelled' && !showDeleted) continue;
    items.push(ex ?? instanceFromParent(parent, occ.suffix, occ));
  }
  const page = items.slice(offset, offset + limit);
  if (items.length > offset + limit)
    return { items: page, nextPageToken: Buffer.from(String(offset + limit)).toString('base64url') };
  return { items: page };
}
