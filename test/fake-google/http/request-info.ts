import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Per-request facts the call log needs, filled in by handlers as they learn them. */
export interface RequestInfo {
  account?: string;
  calendarId?: string;
  faulted?: boolean;
}

const infos = new WeakMap<FastifyRequest, RequestInfo>();
const kinds = new Map<string, string>();

export function info(req: FastifyRequest): RequestInfo {
  let i = infos.get(req);
  if (!i) infos.set(req, (i = {}));
  return i;
}

export function kindOf(req: FastifyRequest): string | undefined {
  return kinds.get(`${req.method} ${req.routeOptions.url}`);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Registers a route and remembers its operation kind for faults and the call log. */
export function route(app: FastifyInstance, method: Method, url: string, kind: string, handler: Handler): void {
  kinds.set(`${method} ${url}`, kind);
  app.route({ method, url, handler });
}
