import { randomUUID } from 'node:crypto';
import { Graph, GraphError } from '../errors';
import { Caller, visibleCalendars } from '../graph/access';
import { isoUtc } from '../graph/time';
import { User } from '../model';
import { ChangeKind, World } from '../world';
import { Delivery, Deliverer } from './deliverer';

export interface Subscription {
  id: string;
  resource: string;
  changeTypes: ChangeKind[];
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationMs: number;
  clientId: string;
  creatorId: string;
  mailboxId: string;
  calendarId?: string;
  tenantId: string;
  /** After reauthorizationRequired, nothing is delivered until the app reauthorizes or renews. */
  needsReauthorization: boolean;
}

export type LifecycleEvent = 'missed' | 'subscriptionRemoved' | 'reauthorizationRequired';
type Body = Record<string, unknown>;

const extensionError = (message: string) => new GraphError(400, 'ExtensionError', message);

/** Graph change notifications for Outlook events: validation handshake, limits, delivery and lifecycle events. */
export class SubscriptionService {
  private subs = new Map<string, Subscription>();
  readonly deliverer: Deliverer;

  constructor(private readonly world: World) {
    this.deliverer = new Deliverer(world);
    world.onChange((c) => this.changed(c.calendarId, c.eventId, c.changeType, c.etag));
  }

  reset(): void {
    this.subs.clear();
    this.deliverer.reset();
  }

  get deliveries(): Delivery[] {
    return this.deliverer.log;
  }

  async create(c: Caller, body: Body): Promise<Subscription> {
    const target = this.parseResource(c, body.resource);
    const changeTypes = String(body.changeType ?? '')
      .split(',')
      .map((s) => s.trim()) as ChangeKind[];
    if (!changeTypes.length || changeTypes.some((t) => !['created', 'updated', 'deleted'].includes(t)))
      throw Graph.badQuery(`Invalid changeType '${String(body.changeType)}'.`);
    const notificationUrl = this.url(body.notificationUrl, 'notificationUrl')!;
    const lifecycleNotificationUrl = this.url(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    if (body.clientState !== undefined && (typeof body.clientState !== 'string' || body.clientState.length > 128))
      throw Graph.badQuery('clientState must be a string of at most 128 characters.');
    const expirationMs = this.expiration(body.expirationDateTime);
    for (const url of [notificationUrl, lifecycleNotificationUrl])
      if (url && !(await this.deliverer.validate(url))) {
        throw new GraphError(
          400,
          'ValidationError',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        );
      }
    const sub: Subscription = {
      id: randomUUID(),
      resource: String(body.resource),
      changeTypes,
      notificationUrl,
      lifecycleNotificationUrl,
      clientState: body.clientState as string | undefined,
      expirationMs,
      clientId: c.clientId,
      creatorId: c.user.id,
      mailboxId: target.mailbox.id,
      calendarId: target.calendarId,
      tenantId: c.user.tenantId,
      needsReauthorization: false,
    };
    this.subs.set(sub.id, sub);
    return sub;
  }

  renew(c: Caller, id: string, body: Body): Subscription {
    const sub = this.own(c, id);
    sub.expirationMs = this.expiration(body.expirationDateTime);
    sub.needsReauthorization = false;
    return sub;
  }

  reauthorize(c: Caller, id: string): void {
    this.own(c, id).needsReauthorization = false;
  }

  delete(c: Caller, id: string): void {
    this.subs.delete(this.own(c, id).id);
  }

  list(c: Caller): Subscription[] {
    return this.active().filter((s) => s.clientId === c.clientId && s.creatorId === c.user.id);
  }

  get(c: Caller, id: string): Subscription {
    return this.own(c, id);
  }

  active(): Subscription[] {
    const now = this.world.clock.now();
    return [...this.subs.values()].filter((s) => s.expirationMs > now);
  }

  /** Control: sends a lifecycle event; subscriptionRemoved also ends the subscription. */
  lifecycle(id: string, event: LifecycleEvent): void {
    const sub = this.subs.get(id);
    if (!sub) throw Graph.notFound();
    if (event === 'subscriptionRemoved') this.subs.delete(id);
    if (event === 'reauthorizationRequired') sub.needsReauthorization = true;
    this.deliverer.lifecycle(sub, event);
  }

  /** Control: what a password reset does to every subscription of the user. */
  removeAllOf(user: User): void {
    for (const s of [...this.subs.values()]) if (s.creatorId === user.id) this.lifecycle(s.id, 'subscriptionRemoved');
  }

  json(s: Subscription): Record<string, unknown> {
    return {
      id: s.id,
      resource: s.resource,
      applicationId: s.clientId,
      changeType: s.changeTypes.join(','),
      clientState: s.clientState ?? null,
      notificationUrl: s.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
      expirationDateTime: isoUtc(s.expirationMs).replace('.0000000Z', 'Z'),
      creatorId: s.creatorId,
      includeResourceData: null,
      latestSupportedTlsVersion: 'v1_2',
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
    };
  }

  private own(c: Caller, id: string): Subscription {
    const s = this.subs.get(id);
    if (!s || s.clientId !== c.clientId || s.creatorId !== c.user.id || s.expirationMs <= this.world.clock.now())
      throw new GraphError(404, 'ResourceNotFound', `The object was not found.`);
    return s;
  }

  private parseResource(c: Caller, raw: unknown): { mailbox: User; calendarId?: string } {
    const m = /^\/?(me|users\/([^/]+))\/(events|calendar\/events|calendars\/([^/]+)\/events)$/i.exec(String(raw ?? ''));
    if (!m)
      throw extensionError(
        `Resource '${String(raw)}' is not supported. Supported resources include /me/events and /users/{id}/events.`,
      );
    const mailbox = m[2] ? this.world.userByLogin(decodeURIComponent(m[2])) : c.user;
    if (!mailbox || mailbox.id !== c.user.id) throw Graph.accessDenied();
    if (!m[4]) return { mailbox };
    const cal = visibleCalendars(this.world, { ...c, mailbox }).find((x) => x.id === decodeURIComponent(m[4]));
    if (!cal) throw Graph.notFound();
    return { mailbox, calendarId: cal.id };
  }

  private url(v: unknown, name: string): string | undefined {
    if (v === undefined && name === 'lifecycleNotificationUrl') return undefined;
    if (typeof v !== 'string' || !/^https?:\/\//.test(v)) throw Graph.badQuery(`${name} must be an absolute URL.`);
    if (this.world.options.requireHttpsNotificationUrl && !v.startsWith('https://'))
      throw Graph.badQuery(`The ${name} must be an HTTPS URL.`);
    return v;
  }

  private expiration(v: unknown): number {
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(ms)) throw Graph.badQuery('expirationDateTime is required.');
    const now = this.world.clock.now();
    const max = this.world.options.maxSubscriptionMinutes;
    if (ms <= now) throw extensionError('Subscription expiration can only be in the future.');
    if (ms > now + max * 60_000)
      throw extensionError(`Subscription expiration can only be ${max} minutes in the future.`);
    return ms;
  }

  private changed(calendarId: string, eventId: string, changeType: ChangeKind, etag: string): void {
    const cal = this.world.calendars.get(calendarId);
    if (!cal) return;
    for (const s of this.active()) {
      if (s.needsReauthorization || !s.changeTypes.includes(changeType) || s.mailboxId !== cal.ownerId) continue;
      if (s.calendarId !== undefined && s.calendarId !== calendarId) continue;
      this.deliverer.enqueue(s, { changeType, userId: cal.ownerId, eventId, etag });
    }
  }
}
