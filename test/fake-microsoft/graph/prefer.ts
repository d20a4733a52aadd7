import { FastifyReply, FastifyRequest } from 'fastify';

/** The `Prefer` header options Graph honours for calendars. */
export interface Prefer {
  timeZone?: string;
  bodyType?: 'text' | 'html';
  maxPageSize?: number;
  immutableIds: boolean;
}

export function readPrefer(req: FastifyRequest): Prefer {
  const raw = ([] as string[]).concat(req.headers.prefer ?? []).join(',');
  const tz = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(raw)?.[1];
  const body = /outlook\.body-content-type\s*=\s*"?(text|html)"?/i.exec(raw)?.[1]?.toLowerCase() as
    'text' | 'html' | undefined;
  const size = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(raw)?.[1];
  return {
    timeZone: tz,
    bodyType: body,
    maxPageSize: size ? Number(size) : undefined,
    immutableIds: /IdType\s*=\s*"ImmutableId"/i.test(raw),
  };
}

/** Graph tells the client which preferences it applied. */
export function applyPreferenceHeader(reply: FastifyReply, p: Prefer): void {
  const applied: string[] = [];
  if (p.timeZone) applied.push(`outlook.timezone="${p.timeZone}"`);
  if (p.bodyType) applied.push(`outlook.body-content-type="${p.bodyType}"`);
  if (p.maxPageSize) applied.push(`odata.maxpagesize=${p.maxPageSize}`);
  if (p.immutableIds) applied.push('IdType="ImmutableId"');
  if (applied.length) reply.header('preference-applied', applied.join(', '));
}
