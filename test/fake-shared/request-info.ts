import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Per-request facts the call log needs, filled in by handlers as they learn them. */
export interface RequestInfo {
  account?: string;
  calendarId?: string;
  faulted?: boolean;
}

const infos = new WeakMap<FastifyRequest, RequestInfo>();

export function info(req: FastifyRequest): RequestInfo {
  let i = infos.get(req);
  if (!i) infos.set(req, (i = {}));
  return i;
}

/** The operation kind a route was registered with; kept in the route's own config so emulators never share it. */
export function kindOf(req: FastifyRequest): string | undefined {
  return (req.routeOptions.config as { kind?: string } | undefined)?.kind;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Registers a route and remembers its operation kind for faults and the call log. */
export function route(app: FastifyInstance, method: Method, url: string, kind: string, handler: Handler): void {
  app.route({ method, url, handler, config: { kind } });
}
