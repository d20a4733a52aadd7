import { Clock } from '../fake-shared/clock';
import { SeededRandom } from '../fake-shared/random';
import { changeKeyFor } from './ids';
import {
  AppRegistration,
  Calendar,
  DEFAULT_OPTIONS,
  EmulatorOptions,
  MailRecord,
  StoredEvent,
  Tenant,
  Tombstone,
  User,
} from './model';

export type ChangeKind = 'created' | 'updated' | 'deleted';
export type ChangeListener = (ev: {
  calendarId: string;
  eventId: string;
  changeType: ChangeKind;
  etag: string;
}) => void;

/** All mutable state that is not tokens or subscriptions. One instance per emulator. */
export class World {
  readonly clock = new Clock();
  readonly random = new SeededRandom(7);
  options: EmulatorOptions = { ...DEFAULT_OPTIONS };
  tenants = new Map<string, Tenant>();
  users = new Map<string, User>();
  apps = new Map<string, AppRegistration>();
  calendars = new Map<string, Calendar>();
  /** Stored items by REST id. */
  events = new Map<string, StoredEvent>();
  /** Occurrence id (REST or immutable) -> master id and original start, filled as occurrences are listed. */
  occurrences = new Map<string, { masterId: string; originalStartMs: number }>();
  tombstones: Tombstone[] = [];
  mails: MailRecord[] = [];
  private seq = 0;
  private listeners: ChangeListener[] = [];

  reset(): void {
    this.options = { ...DEFAULT_OPTIONS };
    for (const m of [this.tenants, this.users, this.apps, this.calendars, this.events, this.occurrences]) m.clear();
    this.tombstones = [];
    this.mails = [];
    this.clock.reset();
    this.random.reseed(7);
    // seq is never rewound: a delta token from before a reset must not look valid afterwards.
  }

  nextSeq(): number {
    return ++this.seq;
  }

  currentSeq(): number {
    return this.seq;
  }

  /** Stamps a write: new change key, new seq, modified time. */
  touch(ev: StoredEvent): void {
    ev.seq = this.nextSeq();
    ev.changeKey = changeKeyFor(ev.seq);
    ev.modifiedMs = this.clock.now();
  }

  onChange(l: ChangeListener): void {
    this.listeners.push(l);
  }

  emitChange(ev: StoredEvent, changeType: ChangeKind): void {
    for (const l of this.listeners)
      l({ calendarId: ev.calendarId, eventId: ev.id, changeType, etag: `W/"${ev.changeKey}"` });
  }

  userByLogin(login: string): User | undefined {
    const l = login.toLowerCase();
    return (
      this.users.get(login) ??
      [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === l || u.mail?.toLowerCase() === l)
    );
  }

  address(u: User): string {
    return u.mail ?? u.userPrincipalName;
  }

  tenantByIdOrDomain(key: string): Tenant | undefined {
    const k = key.toLowerCase();
    return this.tenants.get(k) ?? [...this.tenants.values()].find((t) => t.domain === k);
  }

  defaultCalendar(userId: string): Calendar | undefined {
    return [...this.calendars.values()].find((c) => c.ownerId === userId && c.isDefault);
  }

  eventsOf(calendarId: string): StoredEvent[] {
    return [...this.events.values()].filter((e) => e.calendarId === calendarId);
  }

  bury(ev: StoredEvent, type = ev.type): void {
    this.tombstones.push({
      id: ev.id,
      immutableId: ev.immutableId,
      calendarId: ev.calendarId,
      type,
      seq: this.nextSeq(),
      startMs: ev.startMs,
      endMs: ev.endMs,
    });
  }
}
