import { FastifyRequest } from 'fastify';
import { Graph, GraphError } from '../errors';
import { newToken } from '../ids';
import { EventType, StoredEvent } from '../model';
import { World } from '../world';
import { eventJson, EventJson } from './event-view';
import { instancesOf, overlaps, viewOf } from './instances';
import { Query } from './odata';
import { Prefer } from './prefer';
import { parseQueryInstant } from './time';

interface Seen {
  changeKey: string;
  type: EventType;
  immutableId: string;
}

/** What a deltaLink stands for: a calendar, the window it was created with, and what the client has seen. */
interface DeltaState {
  calendarId: string;
  fromMs: number;
  toMs: number;
  seq: number;
  seen: Map<string, Seen>;
  issuedMs: number;
  /** Set by the control API: the next use answers 410 Gone or syncStateNotFound. */
  invalid?: 'gone' | 'syncStateNotFound';
}

type Row = { ev?: StoredEvent; removed?: { id: string; immutableId: string; type: EventType } };

interface Round {
  rows: Row[];
  pos: number;
  next: DeltaState;
}

const UNSUPPORTED = ['$select', '$expand', '$filter', '$orderby', '$search'];

export class DeltaService {
  private states = new Map<string, DeltaState>();
  private rounds = new Map<string, Round>();

  constructor(private readonly world: World) {}

  reset(): void {
    this.states.clear();
    this.rounds.clear();
  }

  invalidate(calendarId: string, how: 'gone' | 'syncStateNotFound'): number {
    let n = 0;
    for (const s of this.states.values()) {
      if (s.calendarId !== calendarId || s.invalid) continue;
      s.invalid = how;
      n++;
    }
    return n;
  }

  /** One page of a round: starts a round for a new window or a deltatoken, continues it for a skiptoken. */
  page(req: FastifyRequest, calendarId: string, prefer: Prefer, base: string): { body: Record<string, unknown> } {
    const query = req.query as Query;
    const path = `${base}${req.url.split('?')[0]}`;
    const bad = UNSUPPORTED.filter((k) => query[k] !== undefined);
    if (bad.length)
      throw Graph.badQuery(
        `The following parameters are not supported with change tracking over the 'CalendarView' resource: '${bad.join(', ')}'.`,
      );
    let roundId = query.$skiptoken;
    if (roundId === undefined) {
      const state =
        query.$deltatoken !== undefined
          ? this.state(query.$deltatoken, calendarId, path)
          : this.initial(query, calendarId);
      roundId = newToken('', 24);
      this.rounds.set(roundId, this.buildRound(state));
    }
    const round = this.rounds.get(roundId);
    if (!round || round.next.calendarId !== calendarId) throw Graph.syncStateNotFound();
    return { body: this.emit(round, roundId, prefer, path) };
  }

  private initial(query: Query, calendarId: string): DeltaState {
    const fromMs = parseQueryInstant(query.startDateTime, 'startDateTime');
    const toMs = parseQueryInstant(query.endDateTime, 'endDateTime');
    if (toMs <= fromMs) throw Graph.badQuery('The EndDateTime must be later than the StartDateTime.');
    return { calendarId, fromMs, toMs, seq: 0, seen: new Map(), issuedMs: this.world.clock.now() };
  }

  private state(token: string, calendarId: string, path: string): DeltaState {
    const s = this.states.get(token);
    if (!s || s.calendarId !== calendarId) throw Graph.syncStateNotFound();
    if (s.invalid === 'gone') {
      throw new GraphError(
        410,
        'resyncRequired',
        'Resync required. Replace any local cached data and restart the sync with the URL in the Location header.',
        { location: `${path}?$deltatoken=` },
      );
    }
    const ttl = this.world.options.deltaTokenTtlSec * 1000;
    if (s.invalid === 'syncStateNotFound' || this.world.clock.now() - s.issuedMs > ttl) throw Graph.syncStateNotFound();
    return s;
  }

  /** Everything the window holds now, series masters included (real deltas carry them too). */
  private current(calendarId: string, fromMs: number, toMs: number): StoredEvent[] {
    const view = viewOf(this.world, calendarId, fromMs, toMs);
    const masters = this.world
      .eventsOf(calendarId)
      .filter((e) => e.type === 'seriesMaster' && instancesOf(this.world, e, fromMs, toMs).length > 0);
    return [...masters, ...view];
  }

  private buildRound(prev: DeltaState): Round {
    const now = this.current(prev.calendarId, prev.fromMs, prev.toMs);
    const seen = new Map(now.map((e) => [e.id, { changeKey: e.changeKey, type: e.type, immutableId: e.immutableId }]));
    const rows: Row[] = now.filter((e) => prev.seen.get(e.id)?.changeKey !== e.changeKey).map((ev) => ({ ev }));
    const removed = new Map<string, Row['removed']>();
    for (const [id, s] of prev.seen) if (!seen.has(id)) removed.set(id, { id, ...s });
    if (prev.seq > 0) {
      // Changes outside the window come back as deletions too (DELTA-API: "filter the events under @removed").
      for (const e of this.world.eventsOf(prev.calendarId)) {
        if (e.seq > prev.seq && !seen.has(e.id) && !overlaps(e, prev.fromMs, prev.toMs))
          removed.set(e.id, { id: e.id, immutableId: e.immutableId, type: e.type });
      }
      for (const t of this.world.tombstones)
        if (t.calendarId === prev.calendarId && t.seq > prev.seq && !seen.has(t.id)) removed.set(t.id, t);
      // Replays across rounds are allowed: sometimes an unchanged item comes back.
      const unchanged = now.filter((e) => prev.seen.get(e.id)?.changeKey === e.changeKey);
      if (unchanged.length && this.world.random.next() < this.world.options.repeatShare)
        rows.push({ ev: unchanged[0] });
    }
    rows.push(...[...removed.values()].map((r) => ({ removed: r })));
    return { rows, pos: 0, next: { ...prev, seq: this.world.currentSeq(), seen, issuedMs: this.world.clock.now() } };
  }

  private emit(round: Round, roundId: string, prefer: Prefer, path: string): Record<string, unknown> {
    const size = Math.max(1, prefer.maxPageSize ?? this.world.options.deltaPageSize);
    const slice = round.rows.slice(round.pos, round.pos + size);
    // One round may repeat an entity across its pages (DELTA-OV); clients keep the newest.
    if (round.pos > 0 && this.world.random.next() < this.world.options.repeatShare)
      slice.unshift(round.rows[round.pos - 1]);
    round.pos += size;
    const value = slice.map((r) => this.render(r, prefer));
    if (round.pos < round.rows.length)
      return {
        '@odata.context': `${path}/$metadata#Collection(event)`,
        '@odata.nextLink': `${path}?$skiptoken=${roundId}`,
        value,
      };
    this.rounds.delete(roundId);
    const token = newToken('', 32);
    this.states.set(token, round.next);
    return {
      '@odata.context': `${path}/$metadata#Collection(event)`,
      '@odata.deltaLink': `${path}?$deltatoken=${token}`,
      value,
    };
  }

  private render(r: Row, prefer: Prefer): EventJson {
    if (r.ev) return eventJson(r.ev, prefer);
    const t = r.removed!;
    const out: EventJson = {
      '@odata.type': '#microsoft.graph.event',
      id: prefer.immutableIds ? t.immutableId : t.id,
      '@removed': { reason: 'deleted' },
    };
    // Tombstones can omit the event type (observed), so a client cannot tell a removed master from an occurrence.
    if (this.world.random.next() >= this.world.options.tombstoneWithoutTypeShare) out.type = t.type;
    return out;
  }
}
