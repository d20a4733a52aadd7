import { FastifyInstance } from 'fastify';
import { route } from '../../fake-shared/request-info';
import { Graph } from '../errors';

interface BatchRequest {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, string>;
  body?: unknown;
}

const MAX_REQUESTS = 20;

function parsed(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}
/** Graph hands Outlook at most four requests of a batch at a time (BATCH). */
const PARALLEL = 4;

/** JSON batching: each inner request runs through the same routes, limits and faults as a direct call. */
export function registerBatchRoute(app: FastifyInstance): void {
  route(app, 'POST', '/v1.0/$batch', 'batch', async (req) => {
    const requests = (req.body as { requests?: BatchRequest[] } | undefined)?.requests;
    if (!Array.isArray(requests) || !requests.length) throw Graph.badQuery('Invalid batch payload format.');
    if (requests.length > MAX_REQUESTS)
      throw Graph.badQuery(`The number of requests in a batch cannot exceed ${MAX_REQUESTS}.`);
    const ids = requests.map((r) => r.id);
    if (ids.some((x) => typeof x !== 'string' || !x) || new Set(ids).size !== ids.length)
      throw Graph.badQuery('Each request in a batch needs a unique id.');
    for (const r of requests) {
      if (
        typeof r.url !== 'string' ||
        !r.url.startsWith('/') ||
        !['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(String(r.method).toUpperCase())
      )
        throw Graph.badQuery(`Invalid request ${String(r.id)}: method and a relative url are required.`);
    }
    const responses: Array<Record<string, unknown>> = [];
    const queue = [...requests];
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const res = await app.inject({
          method: String(r.method).toUpperCase() as 'GET',
          url: `/v1.0${r.url as string}`,
          headers: {
            ...(r.headers ?? {}),
            authorization: req.headers.authorization ?? '',
            ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          payload: r.body !== undefined ? JSON.stringify(r.body) : undefined,
        });
        const headers: Record<string, string> = {};
        for (const k of ['retry-after', 'location', 'content-type', 'preference-applied'])
          if (res.headers[k] !== undefined) headers[k === 'retry-after' ? 'Retry-After' : k] = String(res.headers[k]);
        // Completion order, not request order: clients must match responses by id.
        responses.push({ id: r.id, status: res.statusCode, headers, body: parsed(res.body) });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    return { responses };
  });
}
