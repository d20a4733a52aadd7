import { FastifyInstance, FastifyRequest } from 'fastify';
import { CallFilter, CallLog, CallRecord } from './call-log';
import { ActiveFault, FaultInjector, FaultSpec } from './faults';

/** The control methods every emulator has: faults, latency and the call log. */
export class ControlBase {
  constructor(private readonly parts: { faults: FaultInjector; calls: CallLog }) {}

  injectFault(spec: FaultSpec): string {
    return this.parts.faults.add(spec);
  }

  removeFault(id: string): void {
    this.parts.faults.remove(id);
  }

  clearFaults(): void {
    this.parts.faults.clear();
  }

  faults(): ActiveFault[] {
    return this.parts.faults.list();
  }

  /** Added to every API call (not control routes or pages). */
  setLatency(ms: number): void {
    this.parts.faults.latencyMs = ms;
  }

  callLog(filter?: CallFilter): CallRecord[] {
    return this.parts.calls.list(filter);
  }

  callCounts(filter?: CallFilter): Record<string, number> {
    return this.parts.calls.counts(filter);
  }

  clearCallLog(): void {
    this.parts.calls.clear();
  }
}

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

/** HTTP mirror of ControlBase under `prefix` (`/__control`). */
export function registerBaseControlRoutes(app: FastifyInstance, control: ControlBase, prefix: string): void {
  const ok = { ok: true };
  app.get(`${prefix}/faults`, async () => control.faults());
  app.post(`${prefix}/faults`, async (req) => ({ id: control.injectFault((req.body ?? {}) as FaultSpec) }));
  app.delete(`${prefix}/faults`, async () => (control.clearFaults(), ok));
  app.delete(`${prefix}/faults/:id`, async (req) => (control.removeFault((req.params as { id: string }).id), ok));
  app.post(
    `${prefix}/latency`,
    async (req) => (control.setLatency(Number((req.body as { ms?: unknown } | undefined)?.ms)), ok),
  );
  app.get(`${prefix}/calls`, async (req) => control.callLog(callFilter(req)));
  app.get(`${prefix}/call-counts`, async (req) => control.callCounts(callFilter(req)));
  app.delete(`${prefix}/calls`, async () => (control.clearCallLog(), ok));
}
