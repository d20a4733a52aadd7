import { FastifyInstance, FastifyReply } from 'fastify';
import { CallLog } from './call-log';
import { Clock } from './clock';
import { ActiveFault, FaultInjector } from './faults';
import { info, kindOf } from './request-info';
import { Sleeper } from './sleeper';

export interface FaultHookDeps {
  faults: FaultInjector;
  calls: CallLog;
  clock: Clock;
  sleeper: Sleeper;
  /** Writes the provider's own error envelope for a fault that carries a status. */
  answer(reply: FastifyReply, fault: ActiveFault & { status: number }, kind: string): FastifyReply;
}

/**
 * Added latency and injected faults for every API route (routes registered with a kind; control routes and
 * pages have none). A `timeout` fault holds the request, logs it, then drops the socket without answering.
 */
export function installFaultHook(app: FastifyInstance, deps: FaultHookDeps): void {
  app.addHook('onRequest', async (req, reply) => {
    const kind = kindOf(req);
    if (!kind) return;
    if (deps.faults.latencyMs > 0) await deps.sleeper.sleep(deps.faults.latencyMs);
    const fault = deps.faults.match(req.method, req.url, kind);
    if (!fault) return;
    info(req).faulted = true;
    if (fault.timeout) {
      await deps.sleeper.sleep(fault.delayMs ?? 30_000);
      deps.calls.add({
        time: deps.clock.now(),
        kind,
        method: req.method,
        path: req.url.split('?')[0],
        status: 0,
        faulted: true,
      });
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    }
    if (fault.delayMs) await deps.sleeper.sleep(fault.delayMs);
    if (fault.status === undefined) return;
    return deps.answer(reply, { ...fault, status: fault.status }, kind);
  });
}
