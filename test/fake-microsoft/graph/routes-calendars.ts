import { FastifyInstance, FastifyRequest } from 'fastify';
import { info, route } from '../../fake-shared/request-info';
import type { Emulator } from '../emulator';
import { GraphError } from '../errors';
import { Calendar, User } from '../model';
import { calendarFor, canEdit, Caller, visibleCalendars } from './access';
import { callerFor } from './context';
import { page, pageSize, Query } from './odata';
import { readPrefer } from './prefer';

export const PREFIXES = ['/v1.0/me', '/v1.0/users/:user'];

export function userJson(u: User): Record<string, unknown> {
  const [givenName, ...rest] = u.displayName.split(' ');
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName,
    surname: rest.join(' ') || null,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
  };
}

export function calendarJson(emu: Emulator, cal: Calendar, c: Caller): Record<string, unknown> {
  const owner = emu.world.users.get(cal.ownerId)!;
  const mine = cal.ownerId === c.user.id;
  return {
    id: cal.id,
    name: cal.name,
    color: cal.color,
    hexColor: '',
    isDefaultCalendar: mine && cal.isDefault,
    changeKey: cal.changeKey,
    canShare: mine,
    canViewPrivateItems: mine,
    canEdit: canEdit(cal, c.user.id),
    isRemovable: mine && !cal.isDefault,
    isTallyingResponses: mine,
    allowedOnlineMeetingProviders: owner.personal ? [] : ['teamsForBusiness'],
    defaultOnlineMeetingProvider: owner.personal ? 'none' : 'teamsForBusiness',
    owner: { name: owner.displayName, address: emu.world.address(owner) },
  };
}

export function registerCalendarRoutes(app: FastifyInstance, emu: Emulator): void {
  const base = () => emu.publicUrl;
  route(app, 'GET', '/v1.0/users/:user', 'users.get', async (req) => {
    const c = callerFor(emu, req, 'user');
    if (c.mailbox.id !== c.user.id)
      throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    return { '@odata.context': `${base()}/v1.0/$metadata#users/$entity`, ...userJson(c.mailbox) };
  });
  route(app, 'GET', '/v1.0/me', 'me', async (req) => {
    const c = callerFor(emu, req, 'user');
    return { '@odata.context': `${base()}/v1.0/$metadata#users/$entity`, ...userJson(c.user) };
  });
  for (const p of PREFIXES) {
    route(app, 'GET', `${p}/calendars`, 'calendars.list', async (req) => {
      const c = callerFor(emu, req, 'read');
      const all = visibleCalendars(emu.world, c).map((cal) => calendarJson(emu, cal, c));
      const size = pageSize(req.query as Query, readPrefer(req).maxPageSize, emu.world.options.defaultPageSize);
      const { items, nextLink } = page(req, base(), all, size);
      return {
        '@odata.context': `${base()}/v1.0/$metadata#users('${c.mailbox.id}')/calendars`,
        value: items,
        ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
      };
    });
    route(app, 'GET', `${p}/calendar`, 'calendars.get', async (req) => calendarAnswer(emu, req));
    route(app, 'GET', `${p}/calendars/:calendarId`, 'calendars.get', async (req) => calendarAnswer(emu, req));
  }
}

function calendarAnswer(emu: Emulator, req: FastifyRequest): Record<string, unknown> {
  const c = callerFor(emu, req, 'read');
  const cal = calendarFor(emu.world, c, (req.params as { calendarId?: string }).calendarId);
  info(req).calendarId = cal.id;
  return {
    '@odata.context': `${emu.publicUrl}/v1.0/$metadata#users('${c.mailbox.id}')/calendars/$entity`,
    ...calendarJson(emu, cal, c),
  };
}
