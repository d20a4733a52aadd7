import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { installFaultHook } from '../fake-shared/fault-hook';
import { info, kindOf } from '../fake-shared/request-info';
import { installBodyParsers } from '../fake-shared/server-kit';
import { Sleeper } from '../fake-shared/sleeper';
import { FakeMicrosoftControl } from './control/control';
import { registerControlRoutes } from './control/routes';
import { Emulator } from './emulator';
import { aadFaultError, AadError, faultError, Graph, GraphError } from './errors';
import { registerBatchRoute } from './graph/batch';
import { bearer } from './graph/context';
import { registerCalendarRoutes } from './graph/routes-calendars';
import { registerEventRoutes } from './graph/routes-events';
import { registerIdentityRoutes } from './identity/routes';
import { registerHomePage } from './pages/home-page';
import { registerSubscriptionRoutes } from './subscriptions/routes';

const IDENTITY_KINDS = new Set(['authorize', 'token', 'keys', 'discovery', 'adminconsent']);

function sendGraph(reply: FastifyReply, err: GraphError): FastifyReply {
  return reply.code(err.status).headers(err.headers).send(err.toBody());
}

/** Counts each Graph call against its (app, mailbox) budget before any injected latency holds it. */
function installThrottle(app: FastifyInstance, emu: Emulator): void {
  const releases = new WeakMap<FastifyRequest, () => void>();
  app.addHook('onRequest', async (req, reply) => {
    const kind = kindOf(req);
    if (!kind || IDENTITY_KINDS.has(kind) || kind === 'batch') return;
    const ctx = emu.tokens.resolve(bearer(req));
    if (!ctx || ctx === 'expired') return;
    const named = /^\/v1\.0\/users\/([^/?]+)/.exec(req.url)?.[1];
    const mailbox = (named && emu.world.userByLogin(decodeURIComponent(named))) || ctx.user;
    info(req).account = ctx.user.userPrincipalName;
    const admitted = emu.throttle.enter(`${ctx.clientId}|${mailbox.id}`);
    if (admitted instanceof GraphError) return sendGraph(reply, admitted);
    // A dropped socket ends the request too; batch parts (injected) only ever get onResponse.
    releases.set(req, admitted.release);
    reply.raw.once('close', admitted.release);
  });
  app.addHook('onResponse', async (req) => releases.get(req)?.());
}

function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, _req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof GraphError) return sendGraph(reply, err);
    if (err instanceof AadError) return reply.code(err.status).send(err.toBody());
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500) return sendGraph(reply, new GraphError(status, 'BadRequest', (err as Error).message));
    console.error('[fake-microsoft] internal error', err);
    return sendGraph(reply, new GraphError(500, 'generalException', 'General exception while processing.'));
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/v1.0/')) {
      const segment = req.url.split('?')[0].split('/').pop();
      return sendGraph(reply, Graph.badQuery(`Resource not found for the segment '${segment}'.`));
    }
    return sendGraph(reply, new GraphError(404, 'NotFound', 'Not Found'));
  });
}

export function buildServer(emu: Emulator, control: FakeMicrosoftControl): { app: FastifyInstance; sleeper: Sleeper } {
  // Exchange ids run to ~150-200 characters; fastify's default limit on a path parameter is 100.
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 4 * 1024 * 1024,
    routerOptions: { maxParamLength: 1000 },
  });
  const sleeper = new Sleeper();
  installBodyParsers(app, () => Graph.requestBodyRead('Invalid JSON. A token was not recognized in the JSON content.'));
  installErrorHandlers(app);
  installThrottle(app, emu);
  installFaultHook(app, {
    faults: emu.faults,
    calls: emu.calls,
    clock: emu.world.clock,
    sleeper,
    answer: (reply, fault, kind) => {
      if (IDENTITY_KINDS.has(kind))
        return reply.code(fault.status).send(aadFaultError(fault.status, fault.reason).toBody());
      return sendGraph(reply, faultError(fault.status, fault.reason, fault.retryAfter));
    },
  });
  app.addHook('onResponse', async (req, reply) => {
    const kind = kindOf(req);
    if (!kind) return;
    const i = info(req);
    emu.calls.add({
      time: emu.world.clock.now(),
      kind,
      method: req.method,
      path: req.url.split('?')[0],
      calendarId: i.calendarId,
      eventId: (req.params as { eventId?: string } | undefined)?.eventId,
      status: reply.statusCode,
      account: i.account,
      ...(i.faulted ? { faulted: true } : {}),
    });
  });
  registerIdentityRoutes(app, emu);
  registerCalendarRoutes(app, emu);
  registerEventRoutes(app, emu);
  registerSubscriptionRoutes(app, emu);
  registerBatchRoute(app);
  registerControlRoutes(app, control);
  registerHomePage(app, emu);
  return { app, sleeper };
}
