import { FastifyInstance, FastifyRequest } from 'fastify';
import { Emulator } from '../emulator';
import { Errors } from '../errors';
import { info, route } from '../../fake-shared/request-info';
import { Calendar, EventResource, Role, ROLE_RANK } from '../model';
import { AccessContext } from '../oauth/token-store';
import { hasScopeFor } from '../oauth/scopes';
import { resolveCalendar, visibleCalendars } from './access';
import { WriteOptions } from './event-service';
import { listEvents, listInstances, Query } from './list-events';

const P = '/calendar/v3';

/** Google's internal method names, used in the insufficient-scope ErrorInfo. */
const RPC_NAMES: Record<string, string> = {
  'events.list': 'calendar.v3.Events.List',
  'events.get': 'calendar.v3.Events.Get',
  'events.insert': 'calendar.v3.Events.Insert',
  'events.update': 'calendar.v3.Events.Update',
  'events.patch': 'calendar.v3.Events.Patch',
  'events.delete': 'calendar.v3.Events.Delete',
  'events.instances': 'calendar.v3.Events.Instances',
  'events.watch': 'calendar.v3.Events.Watch',
  'calendarList.list': 'calendar.v3.CalendarList.List',
  'calendarList.get': 'calendar.v3.CalendarList.Get',
  'calendars.get': 'calendar.v3.Calendars.Get',
  'channels.stop': 'calendar.v3.Channels.Stop',
};

type Params = { calendarId?: string; eventId?: string };

/**
 * `maxAttendees` (fact sheet §2.6): past the limit "only the participant is returned", flagged with
 * `attendeesOmitted`; a reader who is not a guest gets no attendees at all.
 */
function limitAttendees(ev: EventResource, q: Query): EventResource {
  const raw = typeof q.maxAttendees === 'string' ? Number(q.maxAttendees) : undefined;
  if (raw === undefined || !ev.attendees) return ev;
  if (!Number.isInteger(raw) || raw < 1) throw Errors.invalid('Invalid value for maxAttendees', 'maxAttendees');
  if (ev.attendees.length <= raw) return ev;
  const self = ev.attendees.filter((a) => a.self === true);
  return { ...ev, attendees: self, attendeesOmitted: true };
}

const ROLES: Role[] = ['freeBusyReader', 'reader', 'writer', 'owner'];

export function registerCalendarRoutes(app: FastifyInstance, emu: Emulator): void {
  const auth = (req: FastifyRequest, kind: string): AccessContext => {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? (req.query as Query).access_token;
    const ctx = emu.tokens.resolveAccess(typeof token === 'string' ? token : undefined);
    if (!ctx) throw Errors.authError();
    info(req).account = ctx.account.email;
    if (!hasScopeFor(kind, ctx.scopes)) throw Errors.insufficientScopes(RPC_NAMES[kind] ?? kind);
    return ctx;
  };
  const params = (req: FastifyRequest): Required<Params> => {
    const p = req.params as Params;
    info(req).calendarId = p.calendarId;
    return { calendarId: p.calendarId ?? '', eventId: p.eventId ?? '' };
  };
  const writeOpts = (req: FastifyRequest): WriteOptions => ({
    ifMatch: req.headers['if-match'],
    beforeWrite: (cal: Calendar) => {
      info(req).calendarId = cal.id;
      emu.limiter.check(cal, emu.world.clock.now());
    },
  });
  const body = (req: FastifyRequest): Record<string, unknown> => {
    const b = req.body;
    if (b === undefined || b === null) return {};
    if (typeof b !== 'object' || Array.isArray(b)) throw Errors.badRequest('Bad Request');
    return b as Record<string, unknown>;
  };
  const envelope = (cal: Calendar, role: Role) => ({
    kind: 'calendar#events',
    etag: `"${cal.syncEpoch}${cal.events.size}"`,
    summary: cal.summary,
    description: cal.description ?? '',
    updated: new Date(emu.world.clock.now()).toISOString(),
    timeZone: cal.timeZone,
    accessRole: role,
    defaultReminders: role === 'owner' || role === 'writer' ? [{ method: 'popup', minutes: 10 }] : [],
  });
  const listEntry = (cal: Calendar, role: Role, email: string) => ({
    kind: 'calendar#calendarListEntry',
    etag: `"${cal.syncEpoch}"`,
    id: cal.id,
    summary: cal.summary,
    ...(cal.description ? { description: cal.description } : {}),
    timeZone: cal.timeZone,
    ...(cal.dataOwner ? { dataOwner: cal.dataOwner } : {}),
    colorId: '14',
    backgroundColor: '#9fe1e7',
    foregroundColor: '#000000',
    selected: true,
    accessRole: role,
    defaultReminders: role === 'owner' ? [{ method: 'popup', minutes: 10 }] : [],
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
    ...(cal.primaryOf === email ? { primary: true } : {}),
  });

  route(app, 'GET', `${P}/users/me/calendarList`, 'calendarList.list', async (req) => {
    const { account } = auth(req, 'calendarList.list');
    const q = req.query as Query;
    const min = (typeof q.minAccessRole === 'string' ? q.minAccessRole : 'freeBusyReader') as Role;
    if (!ROLES.includes(min)) throw Errors.invalid('Invalid value for minAccessRole', 'minAccessRole');
    const items = visibleCalendars(emu.world, account)
      .filter((x) => ROLE_RANK[x.role] >= ROLE_RANK[min])
      .sort(
        (a, b) =>
          Number(b.cal.primaryOf === account.email) - Number(a.cal.primaryOf === account.email) ||
          a.cal.id.localeCompare(b.cal.id),
      )
      .map((x) => listEntry(x.cal, x.role, account.email));
    const max = Math.min(Number(q.maxResults ?? 100) || 100, 250);
    const offset = typeof q.pageToken === 'string' ? Number(Buffer.from(q.pageToken, 'base64url').toString()) || 0 : 0;
    const page = items.slice(offset, offset + max);
    const more = items.length > offset + max;
    return {
      kind: 'calendar#calendarList',
      etag: `"${emu.world.currentSeq()}"`,
      ...(more
        ? { nextPageToken: Buffer.from(String(offset + max)).toString('base64url') }
        : { nextSyncToken: `cl${emu.world.currentSeq()}` }),
      items: page,
    };
  });

  route(app, 'GET', `${P}/users/me/calendarList/:calendarId`, 'calendarList.get', async (req) => {
    const { account } = auth(req, 'calendarList.get');
    const { cal, role } = resolveCalendar(emu.world, account, params(req).calendarId);
    return listEntry(cal, role, account.email);
  });

  route(app, 'GET', `${P}/calendars/:calendarId`, 'calendars.get', async (req) => {
    const { account } = auth(req, 'calendars.get');
    const { cal } = resolveCalendar(emu.world, account, params(req).calendarId);
    return {
      kind: 'calendar#calendar',
      etag: `"${cal.syncEpoch}"`,
      id: cal.id,
      summary: cal.summary,
      timeZone: cal.timeZone,
      ...(cal.dataOwner ? { dataOwner: cal.dataOwner } : {}),
    };
  });

  route(app, 'GET', `${P}/calendars/:calendarId/events`, 'events.list', async (req) => {
    const { account } = auth(req, 'events.list');
    const { cal, role } = resolveCalendar(emu.world, account, params(req).calendarId);
    info(req).calendarId = cal.id;
    const res = listEvents(emu.world, cal, role, req.query as Query);
    return {
      ...envelope(cal, role),
      ...(res.nextPageToken ? { nextPageToken: res.nextPageToken } : {}),
      ...(res.nextSyncToken ? { nextSyncToken: res.nextSyncToken } : {}),
      items: res.items.map((ev) => limitAttendees(emu.events.render(ev, cal, role, 'list'), req.query as Query)),
    };
  });

  route(app, 'POST', `${P}/calendars/:calendarId/events`, 'events.insert', async (req) => {
    const { account } = auth(req, 'events.insert');
    return emu.events.insert(account, params(req).calendarId, body(req), writeOpts(req));
  });

  route(app, 'POST', `${P}/calendars/:calendarId/events/watch`, 'events.watch', async (req) => {
    const { account, clientId } = auth(req, 'events.watch');
    const { cal } = resolveCalendar(emu.world, account, params(req).calendarId);
    const ch = emu.notifier.watch(cal, body(req), account.email, clientId);
    return {
      kind: 'api#channel',
      id: ch.id,
      resourceId: ch.resourceId,
      resourceUri: ch.resourceUri,
      ...(ch.token !== undefined ? { token: ch.token } : {}),
      expiration: String(ch.expiration),
    };
  });

  route(app, 'GET', `${P}/calendars/:calendarId/events/:eventId`, 'events.get', async (req) => {
    const { account } = auth(req, 'events.get');
    const p = params(req);
    return limitAttendees(emu.events.get(account, p.calendarId, p.eventId), req.query as Query);
  });

  route(app, 'PUT', `${P}/calendars/:calendarId/events/:eventId`, 'events.update', async (req) => {
    const { account } = auth(req, 'events.update');
    const p = params(req);
    return emu.events.update(account, p.calendarId, p.eventId, body(req), writeOpts(req));
  });

  route(app, 'PATCH', `${P}/calendars/:calendarId/events/:eventId`, 'events.patch', async (req) => {
    const { account } = auth(req, 'events.patch');
    const p = params(req);
    return emu.events.patch(account, p.calendarId, p.eventId, body(req), writeOpts(req));
  });

  route(app, 'DELETE', `${P}/calendars/:calendarId/events/:eventId`, 'events.delete', async (req, reply) => {
    const { account } = auth(req, 'events.delete');
    const p = params(req);
    emu.events.delete(account, p.calendarId, p.eventId, writeOpts(req));
    return reply.code(204).send();
  });

  route(app, 'GET', `${P}/calendars/:calendarId/events/:eventId/instances`, 'events.instances', async (req) => {
    const { account } = auth(req, 'events.instances');
    const p = params(req);
    const { cal, role } = resolveCalendar(emu.world, account, p.calendarId);
    const res = listInstances(emu.world, cal, p.eventId, req.query as Query);
    return {
      ...envelope(cal, role),
      ...(res.nextPageToken ? { nextPageToken: res.nextPageToken } : {}),
      items: res.items.map((ev) => limitAttendees(emu.events.render(ev, cal, role, 'list'), req.query as Query)),
    };
  });

  route(app, 'POST', `${P}/channels/stop`, 'channels.stop', async (req, reply) => {
    const { account, clientId } = auth(req, 'channels.stop');
    const b = body(req);
    emu.notifier.stop(b.id, b.resourceId, account.email, clientId);
    return reply.code(204).send();
  });
}
