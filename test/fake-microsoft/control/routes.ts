import { FastifyInstance, FastifyRequest } from 'fastify';
import { registerBaseControlRoutes } from '../../fake-shared/control-kit';
import { LifecycleEvent } from '../subscriptions/subscriptions';
import { FakeMicrosoftControl } from './control';
import { SeedData } from './seed-types';

const C = '/__control';
type Body = Record<string, unknown>;
const body = <T = Body>(req: FastifyRequest): T => (req.body ?? {}) as T;
const param = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name];

/** JSON mirror of FakeMicrosoftControl for out-of-process drivers; the README lists every route. */
export function registerControlRoutes(app: FastifyInstance, control: FakeMicrosoftControl): void {
  const ok = { ok: true };
  registerBaseControlRoutes(app, control, C);
  app.post(`${C}/reset`, async (req) => (control.reset(body<{ seed?: 'demo' | 'none' }>(req)), ok));
  app.post(`${C}/seed`, async (req) => (control.seed(body<SeedData>(req)), ok));
  app.post(`${C}/options`, async (req) => (control.setOptions(body(req)), ok));
  app.post(`${C}/clock/advance`, async (req) => (control.advanceClock(Number(body(req).ms)), ok));
  app.get(`${C}/users`, async () => control.users());
  app.get(`${C}/users/:login/calendars/:name`, async (req) => ({
    id: control.calendarId(param(req, 'login'), param(req, 'name')),
  }));
  app.post(`${C}/users/:login/access-token`, async (req) => ({
    access_token: control.mintAccessToken(
      param(req, 'login'),
      String(body(req).clientId),
      body(req).scopes as string | undefined,
    ),
  }));
  app.post(
    `${C}/users/:login/expire-refresh-tokens`,
    async (req) => (control.expireRefreshTokens(param(req, 'login')), ok),
  );
  app.post(`${C}/users/:login/reset-password`, async (req) => (control.resetPassword(param(req, 'login')), ok));
  app.post(`${C}/users/:login/events`, async (req) =>
    control.createEvent(
      param(req, 'login'),
      body<{ event: Body }>(req).event,
      body(req).calendar as string | undefined,
    ),
  );
  app.patch(`${C}/users/:login/events/:id`, async (req) =>
    control.updateEvent(param(req, 'login'), param(req, 'id'), body(req)),
  );
  app.delete(
    `${C}/users/:login/events/:id`,
    async (req) => (control.deleteEvent(param(req, 'login'), param(req, 'id')), ok),
  );
  app.post(
    `${C}/users/:login/events/:id/decline`,
    async (req) => (control.declineEvent(param(req, 'login'), param(req, 'id'), body(req).sendResponse !== false), ok),
  );
  app.post(
    `${C}/tenants/:tenant/consent`,
    async (req) => (control.setTenantConsent(param(req, 'tenant'), body(req).userConsent as 'all'), ok),
  );
  app.post(`${C}/events/:id/move`, async (req) => control.moveEvent(param(req, 'id'), String(body(req).calendarId)));
  app.get(`${C}/calendars/:id/events`, async (req) => control.events(param(req, 'id')));
  app.post(`${C}/calendars/:id/invalidate-delta-tokens`, async (req) => ({
    invalidated: control.invalidateDeltaTokens(param(req, 'id'), (body(req).how as 'gone') ?? 'gone'),
  }));
  app.get(`${C}/mails`, async () => control.mails());
  app.delete(`${C}/mails`, async () => (control.clearMails(), ok));
  app.get(`${C}/subscriptions`, async () => control.subscriptions());
  app.get(`${C}/deliveries`, async () => control.deliveries());
  app.post(
    `${C}/subscriptions/:id/lifecycle`,
    async (req) => (control.lifecycle(param(req, 'id'), body(req).event as LifecycleEvent), ok),
  );
  app.post(
    `${C}/notifications`,
    async (req) => (control.setNotificationDropShare(Number(body(req).dropShare ?? 0)), ok),
  );
}
