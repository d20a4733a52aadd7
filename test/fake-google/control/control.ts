import { createHash } from 'node:crypto';
import { ControlBase } from '../../fake-shared/control-kit';
import { Emulator } from '../emulator';
import { Errors } from '../errors';
import { expandSeries } from '../calendar/recurrence';
import { Account, EmulatorOptions, EventResource, IdTokenOverride, StoredEvent, WriteLimit } from '../model';
import { Channel, Delivery } from '../push/notifier';
import { demoSeed } from '../seed/demo';
import { AccountSeed, CalendarSeed, ClientSeed, SeedData } from './seed-types';

export interface RawEvent {
  id: string;
  etag: string;
  seq: number;
  organizerCalendarId: string;
  removedByAttendee: boolean;
  data: EventResource;
}

export type PersonAction =
  | { action: 'create'; as: string; calendarId: string; event: Record<string, unknown> }
  | { action: 'update' | 'patch'; as: string; calendarId: string; eventId: string; event: Record<string, unknown> }
  | { action: 'delete'; as: string; calendarId: string; eventId: string }
  | {
      action: 'respond';
      as: string;
      eventId: string;
      response: 'accepted' | 'declined' | 'tentative' | 'needsAction';
      calendarId?: string;
    };

function stableSub(email: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 16)}`)
    .toString()
    .padStart(20, '0')
    .slice(0, 20);
  return `1${digits}`;
}

/** Drives the emulator for tests, benchmarks and the demo. Person actions reuse the API's logic. */
export class FakeGoogleControl extends ControlBase {
  constructor(private readonly emu: Emulator) {
    super({ faults: emu.faults, calls: emu.calls });
  }

  reset(opts: { seed?: 'demo' | 'none' } = {}): void {
    this.emu.reset();
    if (opts.seed === 'demo') this.seed(demoSeed(this.emu.world.clock.now()));
  }

  seed(data: SeedData): void {
    for (const d of data.domains ?? []) this.emu.world.domains.add(d.toLowerCase());
    for (const c of data.clients ?? []) this.addClient(c);
    for (const a of data.accounts ?? []) this.addAccount(a);
    for (const c of data.calendars ?? []) this.addCalendar(c);
    for (const e of data.events ?? []) {
      const cal = this.emu.world.calendar(e.calendarId);
      const as = e.as ?? cal?.primaryOf ?? cal?.dataOwner;
      if (!as) throw new Error(`seed event on ${e.calendarId}: no acting account`);
      this.createEvent(as, e.calendarId, e.event);
    }
  }

  addClient(c: ClientSeed): void {
    this.emu.world.clients.set(c.clientId, {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUris: c.redirectUris ?? [],
      name: c.name ?? c.clientId,
    });
  }

  addAccount(a: AccountSeed): Account {
    const email = a.email.toLowerCase();
    const domain = email.split('@')[1];
    const account: Account = {
      sub: a.sub ?? stableSub(email),
      email,
      name: a.name ?? email.split('@')[0],
      emailVerified: a.emailVerified ?? true,
      hd: a.hd === null ? undefined : (a.hd ?? (this.emu.world.domains.has(domain) ? domain : undefined)),
      adminBlocked: a.adminBlocked ?? false,
      denyConsent: a.denyConsent ?? false,
      ...(a.untickedScopes ? { untickedScopes: [...a.untickedScopes] } : {}),
    };
    this.emu.world.accounts.set(email, account);
    if (a.primaryCalendar !== false && !this.emu.world.calendar(email)) {
      this.emu.world.addCalendar({
        id: email,
        primaryOf: email,
        summary: a.calendarSummary ?? email,
        timeZone: a.timeZone,
      });
    }
    return account;
  }

  addCalendar(c: CalendarSeed): void {
    this.emu.world.addCalendar({
      id: c.id,
      summary: c.summary,
      description: c.description,
      timeZone: c.timeZone,
      dataOwner: c.owner,
      acl: c.acl,
    });
  }

  setOptions(opts: Partial<EmulatorOptions>): void {
    Object.assign(this.emu.world.options, opts);
  }

  setAccessTokenLifetime(seconds: number): void {
    this.emu.world.options.accessTokenLifetimeSec = seconds;
  }

  setTombstoneTtl(seconds: number | null): void {
    this.emu.world.options.tombstoneTtlSec = seconds;
  }

  /** Moves emulator time forward (access tokens, channels and tombstones expire; id_token iat/exp move too). */
  advanceClock(ms: number): void {
    this.emu.world.clock.advance(ms);
  }

  setAccountFlags(
    email: string,
    flags: Partial<Pick<Account, 'adminBlocked' | 'denyConsent' | 'emailVerified' | 'name' | 'untickedScopes'>> & {
      hd?: string | null;
    },
  ): void {
    const a = this.account(email);
    const { hd, ...rest } = flags;
    Object.assign(a, rest);
    if (hd !== undefined) a.hd = hd ?? undefined;
  }

  /** One-shot override of the next id_token for this account (claims: null removes one). */
  setNextIdToken(email: string, override: IdTokenOverride): void {
    this.account(email).nextIdToken = override;
  }

  setUserinfoOverride(email: string, claims: Record<string, unknown> | null): void {
    this.account(email).userinfoOverride = claims ?? undefined;
  }

  revokeGrants(email: string, clientId?: string): number {
    return this.emu.tokens.revokeAccount(this.account(email).sub, clientId);
  }

  /** An access token without the browser flow, for tests that only need API access. */
  mintAccessToken(email: string, clientId: string, scopes: string): string {
    return this.emu.tokens.mintAccessToken(this.account(email), clientId, scopes);
  }

  createEvent(as: string, calendarId: string, event: Record<string, unknown>): EventResource {
    return this.emu.events.insert(this.account(as), calendarId, event);
  }

  updateEvent(as: string, calendarId: string, eventId: string, event: Record<string, unknown>): EventResource {
    return this.emu.events.update(this.account(as), calendarId, eventId, event);
  }

  /** Also modifies one instance when given an instance id (it becomes an exception). */
  patchEvent(as: string, calendarId: string, eventId: string, patch: Record<string, unknown>): EventResource {
    return this.emu.events.patch(this.account(as), calendarId, eventId, patch);
  }

  /** Also deletes one instance when given an instance id (a cancelled exception). */
  deleteEvent(as: string, calendarId: string, eventId: string): void {
    this.emu.events.delete(this.account(as), calendarId, eventId);
  }

  respondToInvitation(
    as: string,
    eventId: string,
    response: 'accepted' | 'declined' | 'tentative' | 'needsAction',
    calendarId = 'primary',
  ): EventResource {
    return this.emu.events.respond(this.account(as), eventId, response, calendarId);
  }

  act(a: PersonAction): EventResource | { deleted: true } {
    switch (a.action) {
      case 'create':
        return this.createEvent(a.as, a.calendarId, a.event);
      case 'update':
        return this.updateEvent(a.as, a.calendarId, a.eventId, a.event);
      case 'patch':
        return this.patchEvent(a.as, a.calendarId, a.eventId, a.event);
      case 'delete':
        this.deleteEvent(a.as, a.calendarId, a.eventId);
        return { deleted: true };
      case 'respond':
        return this.respondToInvitation(a.as, a.eventId, a.response, a.calendarId);
    }
  }

  /** Instance ids a series produces between two instants (default: the next year). */
  instanceIds(calendarId: string, seriesId: string, range: { timeMin?: string; timeMax?: string } = {}): string[] {
    const cal = this.calendar(calendarId);
    const parent = cal.events.get(seriesId);
    if (!parent?.data.recurrence) throw Errors.notFound();
    const now = this.emu.world.clock.now();
    const from = range.timeMin ? Date.parse(range.timeMin) : -8.64e15;
    const to = range.timeMax ? Date.parse(range.timeMax) : now + 366 * 86_400_000;
    return expandSeries(parent.data, cal.timeZone, from, to).map((o) => `${seriesId}_${o.suffix}`);
  }

  setWebhookDropShare(share: number): void {
    this.emu.notifier.dropShare = share;
  }

  setPushDelay(ms: number): void {
    this.emu.notifier.delayMs = ms;
  }

  setMaxChannelTtl(seconds: number): void {
    this.emu.world.options.maxChannelTtlSec = seconds;
  }

  /** N writes per sliding second on one calendar; null turns the limit off. */
  setWriteRateLimit(calendarId: string, limit: WriteLimit | null): void {
    this.calendar(calendarId).writeLimit = limit ?? undefined;
  }

  /** The next incremental sync of this calendar answers 410 fullSyncRequired. */
  invalidateSyncTokens(calendarId: string): void {
    this.calendar(calendarId).syncEpoch++;
  }

  /** Every stored record of a calendar, tombstones and exceptions included. */
  calendarState(calendarId: string): RawEvent[] {
    return [...this.calendar(calendarId).events.values()].map((e: StoredEvent) => ({
      id: e.data.id!,
      etag: e.etag,
      seq: e.seq,
      organizerCalendarId: e.organizerCalendarId,
      removedByAttendee: Boolean(e.removedByAttendee),
      data: JSON.parse(JSON.stringify(e.data)) as EventResource,
    }));
  }

  listCalendars(): Array<{
    id: string;
    summary: string;
    timeZone: string;
    primaryOf?: string;
    owner?: string;
    acl: Record<string, string>;
    events: number;
  }> {
    return [...this.emu.world.calendars.values()].map((c) => ({
      id: c.id,
      summary: c.summary,
      timeZone: c.timeZone,
      primaryOf: c.primaryOf,
      owner: c.dataOwner,
      acl: Object.fromEntries(c.acl),
      events: c.events.size,
    }));
  }

  listAccounts(): Account[] {
    return [...this.emu.world.accounts.values()].map((a) => ({ ...a }));
  }

  channels(): Channel[] {
    return this.emu.notifier.active();
  }

  deliveries(): Delivery[] {
    return [...this.emu.notifier.deliveries];
  }

  private account(email: string): Account {
    const a = this.emu.world.account(email);
    if (!a) throw Errors.invalid(`Unknown account ${email}`);
    return a;
  }

  private calendar(id: string) {
    const c = this.emu.world.calendar(id);
    if (!c) throw Errors.notFound();
    return c;
  }
}
