import { FastifyInstance, FastifyRequest } from 'fastify';
import { registerBaseControlRoutes } from '../../fake-shared/control-kit';
import { FakeGoogleControl, PersonAction } from './control';
import { SeedData } from './seed-types';

const C = '/__control';
type Body = Record<string, unknown>;

const body = <T = Body>(req: FastifyRequest): T => (req.body ?? {}) as T;
const param = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name];

/** JSON mirror of FakeGoogleControl for out-of-process drivers; README lists every route. */
export function registerControlRoutes(app: FastifyInstance, control: FakeGoogleControl): void {
  const ok = { ok: true };
  registerBaseControlRoutes(app, control, C);
  app.post(`${C}/reset`, async (req) => (control.reset(body<{ seed?: 'demo' | 'none' }>(req)), ok));
  app.post(`${C}/seed`, async (req) => (control.seed(body<SeedData>(req)), ok));
  app.post(`${C}/options`, async (req) => (control.setOptions(body(req)), ok));
  app.post(
    `${C}/access-token-lifetime`,
    async (req) => (control.setAccessTokenLifetime(Number(body(req).seconds)), ok),
  );
  app.post(`${C}/tombstone-ttl`, async (req) => {
    const s = body(req).seconds;
    control.setTombstoneTtl(s === null || s === undefined ? null : Number(s));
    return ok;
  });
  app.post(`${C}/clock/advance`, async (req) => (control.advanceClock(Number(body(req).ms)), ok));

  app.get(`${C}/accounts`, async () => control.listAccounts());
  app.post(`${C}/accounts/:email/flags`, async (req) => (control.setAccountFlags(param(req, 'email'), body(req)), ok));
  app.post(
    `${C}/accounts/:email/next-id-token`,
    async (req) => (control.setNextIdToken(param(req, 'email'), body(req)), ok),
  );
  app.post(`${C}/accounts/:email/userinfo`, async (req) => {
    const claims = body(req).claims as Record<string, unknown> | null | undefined;
    control.setUserinfoOverride(param(req, 'email'), claims ?? null);
    return ok;
  });
  app.post(`${C}/accounts/:email/revoke-grants`, async (req) => ({
    revoked: control.revokeGrants(param(req, 'email'), body(req).clientId as string | undefined),
  }));
  app.post(`${C}/accounts/:email/access-token`, async (req) => {
    const b = body<{ clientId: string; scopes: string }>(req);
    return { access_token: control.mintAccessToken(param(req, 'email'), b.clientId, b.scopes) };
  });

  app.post(`${C}/act`, async (req) => control.act(body<PersonAction>(req)));

  app.post(`${C}/push`, async (req) => {
    const b = body(req);
    if (b.dropShare !== undefined) control.setWebhookDropShare(Number(b.dropShare));
    if (b.delayMs !== undefined) control.setPushDelay(Number(b.delayMs));
    if (b.maxChannelTtlSec !== undefined) control.setMaxChannelTtl(Number(b.maxChannelTtlSec));
    return ok;
  });
  app.get(`${C}/channels`, async () => control.channels());
  app.get(`${C}/deliveries`, async () => control.deliveries());

  app.get(`${C}/calendars`, async () => control.listCalendars());
  app.get(`${C}/calendars/:calendarId/events`, async (req) => control.calendarState(param(req, 'calendarId')));
  app.get(`${C}/calendars/:calendarId/events/:seriesId/instance-ids`, async (req) => {
    const q = req.query as { timeMin?: string; timeMax?: string };
    return control.instanceIds(param(req, 'calendarId'), param(req, 'seriesId'), q);
  });
  app.post(
    `${C}/calendars/:calendarId/invalidate-sync-tokens`,
    async (req) => (control.invalidateSyncTokens(param(req, 'calendarId')), ok),
  );
  app.post(`${C}/calendars/:calendarId/rate-limit`, async (req) => {
    const b = body(req);
    control.setWriteRateLimit(
      param(req, 'calendarId'),
      b.perSecond
        ? {
            perSecond: Number(b.perSecond),
            status: b.status === 429 ? 429 : 403,
            retryAfter: b.retryAfter as number | undefined,
          }
        : null,
    );
    return ok;
  });
  app.delete(
    `${C}/calendars/:calendarId/rate-limit`,
    async (req) => (control.setWriteRateLimit(param(req, 'calendarId'), null), ok),
  );
}
