import { FastifyRequest } from 'fastify';
import { Graph, GraphError } from '../errors';
import { StoredEvent } from '../model';

export type Query = Record<string, string | undefined>;

const q = (s: string) => s.replace(/''/g, "'");
/** `singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')` (XPROP); value part optional. */
const ANY =
  /^singleValueExtendedProperties\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'((?:[^']|'')*)'(?:\s+and\s+\1\/value\s+eq\s+'((?:[^']|'')*)')?\s*\)$/i;
/** `singleValueExtendedProperties($filter=id eq '…' [or id eq '…'])`. */
const EXPAND = /^singleValueExtendedProperties\(\$filter=(.+)\)$/i;

export function extendedPropertyFilter(filter: string | undefined): ((ev: StoredEvent) => boolean) | undefined {
  if (filter === undefined) return undefined;
  const m = ANY.exec(filter.trim());
  if (!m)
    throw new GraphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
  const [, , id, value] = m;
  return (ev) =>
    ev.extendedProperties.has(q(id)) && (value === undefined || ev.extendedProperties.get(q(id)) === q(value));
}

/** Ids named by `$expand`; Graph refuses to expand every extended property at once. */
export function expandedProperties(expand: string | undefined): string[] | undefined {
  if (expand === undefined) return undefined;
  const m = EXPAND.exec(expand.trim());
  if (!m)
    throw Graph.badQuery(
      `Parsing OData Select and Expand failed: Could not find a property named '${expand}' on type 'microsoft.graph.event'.`,
    );
  const ids = m[1].split(/\s+or\s+/i).map((part) => /^id\s+eq\s+'((?:[^']|'')*)'$/i.exec(part.trim())?.[1]);
  if (ids.some((x) => x === undefined))
    throw new GraphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
  return ids.map((x) => q(x!));
}

export function selectList(select: string | undefined): string[] | undefined {
  return select
    ? select
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** `$top` (1..1000), else `Prefer: odata.maxpagesize`, else the endpoint default. */
export function pageSize(query: Query, preferred: number | undefined, fallback: number): number {
  if (query.$top !== undefined) {
    const top = Number(query.$top);
    if (!Number.isInteger(top) || top < 1) throw Graph.badQuery(`Invalid $top value '${query.$top}'.`);
    return Math.min(top, 1000);
  }
  return Math.min(preferred ?? fallback, 1000);
}

/** A page plus the `@odata.nextLink` that carries the original query and the next `$skip`. */
export function page<T>(
  req: FastifyRequest,
  base: string,
  items: T[],
  size: number,
): { items: T[]; nextLink?: string } {
  const query = req.query as Query;
  const skip = Number(query.$skip ?? 0) || 0;
  const slice = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { items: slice };
  const params = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== '$skip'),
  );
  params.set('$skip', String(skip + size));
  return { items: slice, nextLink: `${base}${req.url.split('?')[0]}?${params.toString().replace(/%24/g, '$')}` };
}
