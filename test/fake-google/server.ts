import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerCalendarRoutes } from './calendar/routes';
import { FakeGoogleControl } from './control/control';
import { registerControlRoutes } from './control/routes';
import { Emulator } from './emulator';
import { faultError, GoogleApiError, OAuthError } from './errors';
import { installFaultHook } from '../fake-shared/fault-hook';
import { info, kindOf } from '../fake-shared/request-info';
import { installBodyParsers } from '../fake-shared/server-kit';
import { Sleeper } from '../fake-shared/sleeper';
import { registerOAuthRoutes } from './oauth/routes';
import { registerHomePage } from './pages/home-page';

const OAUTH_KINDS = new Set(['authorize', 'token', 'revoke', 'userinfo', 'certs', 'discovery']);

export function buildServer(emu: Emulator, control: FakeGoogleControl): { app: FastifyInstance; sleeper: Sleeper } {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 10 * 1024 * 1024 });
  const sleeper = new Sleeper();
  installBodyParsers(
    app,
    () => new GoogleApiError(400, { domain: 'global', reason: 'parseError', message: 'Parse Error' }),
  );

  app.setErrorHandler((err: unknown, _req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof GoogleApiError) return reply.code(err.status).headers(err.headers).send(err.toBody());
    if (err instanceof OAuthError) return reply.code(err.status).send(err.toBody());
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500) {
      return reply.code(status).send(
        new GoogleApiError(status, {
          domain: 'global',
          reason: 'badRequest',
          message: (err as Error).message,
        }).toBody(),
      );
    }
    console.error('[fake-google] internal error', err);
    return reply
      .code(500)
      .send(new GoogleApiError(500, { domain: 'global', reason: 'backendError', message: 'Backend Error' }).toBody());
  });
  app.setNotFoundHandler((_req, reply) =>
    reply
      .code(404)
      .send(new GoogleApiError(404, { domain: 'global', reason: 'notFound', message: 'Not Found' }).toBody()),
  );

  installFaultHook(app, {
    faults: emu.faults,
    calls: emu.calls,
    clock: emu.world.clock,
    sleeper,
    answer: (reply, fault, kind) => {
      if (OAUTH_KINDS.has(kind) && fault.status < 500) {
        return reply
          .code(fault.status)
          .send({ error: fault.reason ?? 'invalid_request', error_description: 'Injected fault' });
      }
      const err = faultError(fault.status, fault.reason, fault.retryAfter);
      return reply.code(err.status).headers(err.headers).send(err.toBody());
    },
  });

  app.addHook('onResponse', async (req, reply) => {
    const kind = kindOf(req);
    if (!kind) return;
    const i = info(req);
    const p = (req.params ?? {}) as { calendarId?: string; eventId?: string };
    const rawCal = i.calendarId ?? p.calendarId;
    emu.calls.add({
      time: emu.world.clock.now(),
      kind,
      method: req.method,
      path: req.url.split('?')[0],
      calendarId: rawCal === 'primary' ? i.account : rawCal,
      eventId: p.eventId,
      status: reply.statusCode,
      account: i.account,
      ...(i.faulted ? { faulted: true } : {}),
    });
  });

  registerOAuthRoutes(app, emu);
  registerCalendarRoutes(app, emu);
  registerControlRoutes(app, control);
  registerHomePage(app, emu);
  return { app, sleeper };
}
