import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { info, route } from '../../fake-shared/request-info';
import type { Emulator } from '../emulator';
import { calendarFor, Caller, eventFor } from './access';
import { callerFor } from './context';
import { eventJson, selectFields } from './event-view';
import { instancesOf, viewOf } from './instances';
import { expandedProperties, extendedPropertyFilter, page, pageSize, Query, selectList } from './odata';
import { applyPreferenceHeader, readPrefer } from './prefer';
import { parseQueryInstant } from './time';
import { PREFIXES } from './routes-calendars';
import { Calendar, StoredEvent } from '../model';
import { GraphError } from '../errors';

type P = { calendarId?: string; eventId?: string };
/** `/events` of the default calendar, `/calendar/events`, or `/calendars/{id}/events`. */
const SCOPES = ['', '/calendar', '/calendars/:calendarId'];

/** Request helpers shared by every event route: calendar and event lookup, listing and single answers. */
function helpers(emu: Emulator) {
  const world = emu.world;
  const cal = (req: FastifyRequest, c: Caller): Calendar => {
    const found = calendarFor(world, c, (req.params as P).calendarId);
    info(req).calendarId = found.id;
    return found;
  };
  const event = (req: FastifyRequest, c: Caller) => {
    const p = req.params as P;
    const calendarId =
      p.calendarId ?? (req.url.includes('/calendar/events/') ? world.defaultCalendar(c.mailbox.id)?.id : undefined);
    const found = eventFor(world, c, p.eventId ?? '', calendarId);
    info(req).calendarId = found.cal.id;
    return found;
  };
  const list = (req: FastifyRequest, reply: FastifyReply, items: StoredEvent[], context: string) => {
    const q = req.query as Query;
    const prefer = readPrefer(req);
    applyPreferenceHeader(reply, prefer);
    const expand = expandedProperties(q.$expand);
    const select = selectList(q.$select);
    const size = pageSize(q, prefer.maxPageSize, world.options.defaultPageSize);
    const { items: slice, nextLink } = page(req, emu.publicUrl, items, size);
    const value = slice.map((ev) => selectFields(eventJson(ev, prefer, expand), select));
    return {
      '@odata.context': `${emu.publicUrl}/v1.0/$metadata#${context}`,
      value,
      ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
    };
  };
  const one = (req: FastifyRequest, reply: FastifyReply, ev: StoredEvent) => {
    const prefer = readPrefer(req);
    applyPreferenceHeader(reply, prefer);
    const q = req.query as Query;
    return selectFields(
      {
        '@odata.context': `${emu.publicUrl}/v1.0/$metadata#events/$entity`,
        ...eventJson(ev, prefer, expandedProperties(q.$expand)),
      },
      selectList(q.$select),
    );
  };
  const window = (req: FastifyRequest) => {
    const q = req.query as Query;
    const from = parseQueryInstant(q.startDateTime ?? q.StartDateTime, 'startDateTime');
    const to = parseQueryInstant(q.endDateTime ?? q.EndDateTime, 'endDateTime');
    return { from, to };
  };

  return { world, cal, event, list, one, window };
}

/** List, create, read, update, delete and decline. */
function registerCrudRoutes(app: FastifyInstance, emu: Emulator, base: string, h: ReturnType<typeof helpers>): void {
  const { world, cal, event, list, one } = h;
  route(app, 'GET', `${base}/events`, 'events.list', async (req, reply) => {
    const c = callerFor(emu, req, 'read');
    const match = extendedPropertyFilter((req.query as Query).$filter);
    const items = world.eventsOf(cal(req, c).id).filter((e) => e.type !== 'exception' && (!match || match(e)));
    return list(req, reply, items, 'events');
  });
  route(app, 'POST', `${base}/events`, 'events.create', async (req, reply) => {
    const c = callerFor(emu, req, 'write');
    const ev = emu.events.create(c, cal(req, c), req.body);
    return reply.code(201).send(one(req, reply, ev));
  });
  route(app, 'GET', `${base}/events/:eventId`, 'events.get', async (req, reply) =>
    one(req, reply, event(req, callerFor(emu, req, 'read')).ev),
  );
  route(app, 'PATCH', `${base}/events/:eventId`, 'events.update', async (req, reply) => {
    const c = callerFor(emu, req, 'write');
    const { ev, cal: at } = event(req, c);
    return one(req, reply, emu.events.update(c, ev, at, req.body, req.headers['if-match']));
  });
  route(app, 'DELETE', `${base}/events/:eventId`, 'events.delete', async (req, reply) => {
    const c = callerFor(emu, req, 'write');
    const { ev, cal: at } = event(req, c);
    emu.events.delete(c, ev, at, req.headers['if-match']);
    return reply.code(204).send();
  });
  route(app, 'POST', `${base}/events/:eventId/decline`, 'events.decline', async (req, reply) => {
    const c = callerFor(emu, req, 'write');
    const { ev, cal: at } = event(req, c);
    emu.events.decline(c, ev, at, req.body);
    return reply.code(202).send();
  });
}

/** Instances, calendarView and its delta. */
function registerViewRoutes(app: FastifyInstance, emu: Emulator, base: string, h: ReturnType<typeof helpers>): void {
  const { world, cal, event, list, window } = h;
  route(app, 'GET', `${base}/events/:eventId/instances`, 'events.instances', async (req, reply) => {
    const c = callerFor(emu, req, 'read');
    const { from, to } = window(req);
    const { ev } = event(req, c);
    if (ev.type !== 'seriesMaster') return list(req, reply, [], 'events');
    return list(req, reply, instancesOf(world, ev, from, to), 'events');
  });
  route(app, 'GET', `${base}/calendarView`, 'calendarView', async (req, reply) => {
    const c = callerFor(emu, req, 'read');
    if ((req.query as Query).$filter !== undefined)
      throw new GraphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
    const { from, to } = window(req);
    return list(req, reply, viewOf(world, cal(req, c).id, from, to), 'events');
  });
  route(app, 'GET', `${base}/calendarView/delta`, 'calendarView.delta', async (req, reply) => {
    const c = callerFor(emu, req, 'read');
    const prefer = readPrefer(req);
    applyPreferenceHeader(reply, prefer);
    return emu.delta.page(req, cal(req, c).id, prefer, emu.publicUrl).body;
  });
}

export function registerEventRoutes(app: FastifyInstance, emu: Emulator): void {
  const h = helpers(emu);
  for (const prefix of PREFIXES) {
    for (const scope of SCOPES) {
      registerCrudRoutes(app, emu, `${prefix}${scope}`, h);
      registerViewRoutes(app, emu, `${prefix}${scope}`, h);
    }
  }
}
