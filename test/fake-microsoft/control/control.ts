import { ControlBase } from '../../fake-shared/control-kit';
import { Emulator } from '../emulator';
import { GraphError } from '../errors';
import { Caller } from '../graph/access';
import { eventJson, EventJson } from '../graph/event-view';
import { findById } from '../graph/instances';
import { CUSTOM_ZONE } from '../graph/time';
import { parseScopes } from '../identity/scopes';
import { changeKeyFor, guidFrom, newItemId } from '../ids';
import { Calendar, EmulatorOptions, MailRecord, PERSONAL_TENANT_ID, ShareRole, Tenant, User } from '../model';
import { demoSeed } from '../seed/demo';
import { Delivery } from '../subscriptions/deliverer';
import { LifecycleEvent } from '../subscriptions/subscriptions';
import { AppSeed, SeedData, TenantSeed, UserSeed } from './seed-types';

const FULL = ['openid', 'profile', 'email', 'offline_access', 'User.Read', 'Calendars.ReadWrite'];
const fail = (message: string) => new GraphError(400, 'ControlError', message);

/** Drives the emulator for tests and the demo. Person actions reuse the API's own services. */
export class FakeMicrosoftControl extends ControlBase {
  constructor(private readonly emu: Emulator) {
    super({ faults: emu.faults, calls: emu.calls });
  }

  reset(opts: { seed?: 'demo' | 'none' } = {}): void {
    this.emu.reset();
    if (opts.seed === 'demo') this.seed(demoSeed(this.emu.world.clock.now()));
  }

  seed(data: SeedData): void {
    for (const t of data.tenants ?? []) this.addTenant(t);
    for (const a of data.apps ?? []) this.addApp(a);
    for (const u of data.users ?? []) this.addUser(u);
    for (const s of data.shares ?? []) this.share(this.calendarId(s.owner, s.calendar), s.with, s.role);
    for (const e of data.events ?? []) {
      const ev = this.createEvent(e.mailbox, e.event, e.calendar);
      if (e.legacyCustomZone) this.emu.world.events.get(String(ev.id))!.originalZoneName = CUSTOM_ZONE;
    }
  }

  addTenant(t: TenantSeed): Tenant {
    const tenant: Tenant = {
      id: t.id ?? guidFrom(`tenant:${t.domain}`),
      domain: t.domain.toLowerCase(),
      name: t.name ?? t.domain,
      userConsent: t.userConsent ?? 'all',
      adminConsentedClients: new Set(),
    };
    this.emu.world.tenants.set(tenant.id, tenant);
    return tenant;
  }

  addApp(a: AppSeed): void {
    this.emu.world.apps.set(a.clientId, {
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      redirectUris: a.redirectUris ?? [],
      name: a.name ?? a.clientId,
      verifiedPublisher: a.verifiedPublisher ?? false,
    });
  }

  addUser(u: UserSeed): User {
    const upn = u.userPrincipalName.toLowerCase();
    const tenant = u.personal ? undefined : this.emu.world.tenantByIdOrDomain(upn.split('@')[1]);
    if (!u.personal && !tenant) throw fail(`No tenant for ${upn}: seed its domain first.`);
    const user: User = {
      id: u.id ?? (u.personal ? `00000000-0000-0000-${guidFrom(upn).slice(19)}` : guidFrom(`user:${upn}`)),
      tenantId: tenant?.id ?? PERSONAL_TENANT_ID,
      userPrincipalName: upn,
      mail: u.mail === undefined ? upn : u.mail,
      displayName: u.displayName ?? upn.split('@')[0],
      personal: u.personal ?? false,
      onPremisesMailbox: u.onPremisesMailbox ?? false,
    };
    this.emu.world.users.set(user.id, user);
    for (const [i, name] of ['Calendar', ...(u.calendars ?? [])].entries()) this.addCalendar(user, name, i === 0);
    return user;
  }

  share(calendarId: string, withUpn: string, role: ShareRole): void {
    this.calendar(calendarId).sharedWith.set(this.user(withUpn).id, role);
  }

  setOptions(opts: Partial<EmulatorOptions>): void {
    Object.assign(this.emu.world.options, opts);
  }

  advanceClock(ms: number): void {
    this.emu.world.clock.advance(ms);
  }

  now(): number {
    return this.emu.world.clock.now();
  }

  user(login: string): User {
    const u = this.emu.world.userByLogin(login);
    if (!u) throw fail(`Unknown user ${login}`);
    return u;
  }

  users(): User[] {
    return [...this.emu.world.users.values()].map((u) => ({ ...u }));
  }

  tenant(domainOrId: string): Tenant {
    const t = this.emu.world.tenantByIdOrDomain(domainOrId);
    if (!t) throw fail(`Unknown tenant ${domainOrId}`);
    return t;
  }

  setTenantConsent(domainOrId: string, userConsent: Tenant['userConsent']): void {
    this.tenant(domainOrId).userConsent = userConsent;
  }

  calendarId(login: string, name = 'Calendar'): string {
    const u = this.user(login);
    const cal = [...this.emu.world.calendars.values()].find((c) => c.ownerId === u.id && c.name === name);
    if (!cal) throw fail(`${login} has no calendar named ${name}`);
    return cal.id;
  }

  mintAccessToken(login: string, clientId: string, scopes = FULL.join(' ')): string {
    return this.emu.tokens.mintAccessToken(this.user(login), clientId, parseScopes(scopes).scopes);
  }

  /** The next refresh answers invalid_grant AADSTS700082 (inactivity), until the user signs in again. */
  expireRefreshTokens(login: string): void {
    this.emu.tokens.block(this.user(login).id, 'inactive');
  }

  /** Password reset: refresh tokens answer AADSTS50173, access tokens die, subscriptions are removed. */
  resetPassword(login: string): void {
    const u = this.user(login);
    this.emu.tokens.block(u.id, 'revoked');
    this.emu.subscriptions.removeAllOf(u);
  }

  createEvent(login: string, event: Record<string, unknown>, calendarName?: string): EventJson {
    const c = this.caller(login);
    return this.json(this.emu.events.create(c, this.calendar(this.calendarId(login, calendarName)), event));
  }

  updateEvent(login: string, eventId: string, patch: Record<string, unknown>): EventJson {
    const { c, ev, cal } = this.find(login, eventId);
    return this.json(this.emu.events.update(c, ev, cal, patch));
  }

  deleteEvent(login: string, eventId: string): void {
    const { c, ev, cal } = this.find(login, eventId);
    this.emu.events.delete(c, ev, cal);
  }

  declineEvent(login: string, eventId: string, sendResponse = true): void {
    const { c, ev, cal } = this.find(login, eventId);
    this.emu.events.decline(c, ev, cal, { sendResponse });
  }

  /** A person drags an event to another calendar: its REST id changes, its immutable id does not. */
  moveEvent(eventId: string, targetCalendarId: string): EventJson {
    const world = this.emu.world;
    const ev = findById(world, eventId);
    const target = this.calendar(targetCalendarId);
    if (!ev || ev.type === 'occurrence' || ev.type === 'exception')
      throw fail('Only single events and series can be moved.');
    world.events.delete(ev.id);
    world.bury(ev);
    world.emitChange(ev, 'deleted');
    Object.assign(ev, { id: newItemId(), calendarId: target.id, changeKey: changeKeyFor(0) });
    world.touch(ev);
    world.events.set(ev.id, ev);
    world.emitChange(ev, 'created');
    return this.json(ev);
  }

  /** Every stored item of a calendar (masters, singles, exceptions), as Graph would show it in UTC. */
  events(calendarId: string): EventJson[] {
    return this.emu.world
      .eventsOf(this.calendar(calendarId).id)
      .map((e) => ({ ...this.json(e), immutableId: e.immutableId }));
  }

  mails(): MailRecord[] {
    return [...this.emu.world.mails];
  }

  clearMails(): void {
    this.emu.world.mails = [];
  }

  /** Every delta link issued for the calendar answers 410 Gone (with Location) or 400 syncStateNotFound next time. */
  invalidateDeltaTokens(calendarId: string, how: 'gone' | 'syncStateNotFound' = 'gone'): number {
    return this.emu.delta.invalidate(this.calendar(calendarId).id, how);
  }

  subscriptions(): Array<Record<string, unknown>> {
    return this.emu.subscriptions.active().map((s) => this.emu.subscriptions.json(s));
  }

  deliveries(): Delivery[] {
    return [...this.emu.subscriptions.deliveries];
  }

  lifecycle(subscriptionId: string, event: LifecycleEvent): void {
    this.emu.subscriptions.lifecycle(subscriptionId, event);
  }

  /** Share (0..1) of change notifications dropped; each drop is followed by a `missed` lifecycle event. */
  setNotificationDropShare(share: number): void {
    this.emu.subscriptions.deliverer.dropShare = share;
  }

  private addCalendar(owner: User, name: string, isDefault: boolean): Calendar {
    const cal: Calendar = {
      id: newItemId(),
      ownerId: owner.id,
      name,
      color: 'auto',
      isDefault,
      sharedWith: new Map(),
      changeKey: changeKeyFor(this.emu.world.nextSeq()),
    };
    this.emu.world.calendars.set(cal.id, cal);
    return cal;
  }

  private caller(login: string): Caller {
    const user = this.user(login);
    return { user, mailbox: user, clientId: 'control', scopes: FULL };
  }

  private find(login: string, eventId: string) {
    const c = this.caller(login);
    const ev = findById(this.emu.world, eventId);
    const cal = ev && this.emu.world.calendars.get(ev.calendarId);
    if (!ev || !cal) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return { c, ev, cal };
  }

  private calendar(id: string): Calendar {
    const cal = this.emu.world.calendars.get(id);
    if (!cal) throw fail(`Unknown calendar ${id}`);
    return cal;
  }

  private json(ev: Parameters<typeof eventJson>[0]): EventJson {
    return eventJson(ev, { immutableIds: false });
  }
}
