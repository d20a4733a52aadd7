import { FastifyInstance, FastifyRequest } from 'fastify';
import { CallFilter } from '../../fake-shared/call-log';
import { FakeGoogleControl, PersonAction } from './control';
import { FaultSpec } from '../../fake-shared/faults';
import { SeedData } from './seed-types';

const C = '/__control';
type Body = Record<string, unknown>;

const body = <T = Body>(req: FastifyRequest): T => (req.body ?? {}) as T;
const param = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name];

function callFilter(req: FastifyRequest): CallFilter {
  const q = req.query as Record<string, string | undefined>;
  return {
    kind: q.kind,
    calendarId: q.calendarId,
    account: q.account,
    status: q.status !== undefined ? Number(q.status) : undefined,
    since: q.since !== undefined ? Number(q.since) : undefined,
  };
}

/** JSON mirror of FakeGoogleControl for out-of-process drivers; README lists every route. */
export function registerControlRoutes(app: FastifyInstance, control: FakeGoogleControl): void {
  const ok = { ok: true };
  app.post(`${C}/reset`, async (req) => (control.reset(body<{ seed?: 'demo' | 'none' }>(req)), ok));
  app.post(`${C}/seed`, async (req) => (control.seed(body<SeedData>(req)), ok));
  app.post(`${C}/options`, async (req) => (control.setOptions(body(req)), ok));
  app.post(`${C}/access-token-lifetime`, async (req) => (control.setAccessTokenLifetime(Number(body(req).seconds)), ok));
  app.post(`${C}/tombstone-ttl`, async (req) => {
    const s = body(req).seconds;
    control.setTombstoneTtl(s === null || s === undefined ? null : Number(s));
    return ok;
  });
  app.post(`${C}/clock/advance`, async (req) => (control.advanceClock(Number(body(req).ms)), ok));

  app.get(`${C}/accounts`, async () => control.listAccounts());
  app.post(`${C}/accounts/:email/flags`, async (req) => (control.setAccountFlags(param(req, 'email'), body(req)), ok));
  app.post(`${C}/accounts/:email/next-id-token`, async (req) => (control.setNextIdToken(param(req, 'email'), body(req)), ok));
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

  app.get(`${C}/faults`, async () => control.faults());
  app.post(`${C}/faults`, async (req) => ({ id: control.injectFault(body<FaultSpec>(req)) }));
  app.delete(`${C}/faults`, async () => (control.clearFaults(), ok));
  app.delete(`${C}/faults/:id`, async (req) => (control.removeFault(param(req, 'id')), ok));
  app.post(`${C}/latency`, async (req) => (control.setLatency(Number(body(req).ms)), ok));
  app.post(`${C}/push`, async (req) => {
    const b = body(req);
    if (b.dropShare !== undefined) control.setWebhookDropShare(Number(b.dropShare));
    if (b.delayMs !== undefined) control.setPushDelay(Number(b.delayMs));
    if (b.maxChannelTtlSec !== undefined) control.setMaxChannelTtl(Number(b.maxChannelTtlSec));
    return ok;
  });
  app.get(`${C}/channels`, async () => control.channels());
  app.get(`${C}/deliveries`, async () => control.deliveries());

  app.get(`${C}/calls`, async (req) => control.callLog(callFilter(req)));
  app.get(`${C}/call-counts`, async (req) => control.callCounts(callFilter(req)));
  app.delete(`${C}/calls`, async () => (control.clearCallLog(), ok));

  app.get(`${C}/calendars`, async () => control.listCalendars());
  app.get(`${C}/calendars/:calendarId/events`, async (req) => control.calendarState(param(req, 'calendarId')));
  app.get(`${C}/calendars/:calendarId/events/:seriesId/instance-ids`, async (req) => {
    const q = req.query as { timeMin?: string; timeMax?: string };
    return control.instanceIds(param(req, 'calendarId'), param(req, 'seriesId'), q);
  });
  app.post(`${C}/calendars/:calendarId/invalidate-sync-tokens`, async (req) => (control.invalidateSyncTokens(param(req, 'calendarId')), ok));
  app.post(`${C}/calendars/:calendarId/rate-limit`, async (req) => {
    const b = body(req);
    control.setWriteRateLimit(param(req, 'calendarId'), b.perSecond ? { perSecond: Number(b.perSecond), status: b.status === 429 ? 429 : 403, retryAfter: b.retryAfter as number | undefined } : null);
    return ok;
  });
  app.delete(`${C}/calendars/:calendarId/rate-limit`, async (req) => (control.setWriteRateLimit(param(req, 'calendarId'), null), ok));
}
