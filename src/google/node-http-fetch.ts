import * as http from 'node:http';
import * as https from 'node:https';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

type FetchInit = RequestInit & { agent?: unknown };

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

const decoders: Partial<Record<string, (b: Buffer) => Promise<Buffer>>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

/** Statuses whose Response may carry no body. */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

function outgoingHeaders(init: FetchInit): Record<string, string> {
  const out: Record<string, string> = {};
  if (init.headers) new Headers(init.headers).forEach((value, name) => (out[name] = value));
  return out;
}

function outgoingBody(init: FetchInit, headers: Record<string, string>): Buffer | undefined {
  const body = init.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return Buffer.from(body.toString());
  }
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Streams and forms: the Google calls we make never send them.
  throw new TypeError('nodeHttpFetch sends string, URLSearchParams or binary bodies only');
}

function responseHeaders(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

async function toResponse(res: http.IncomingMessage, raw: Buffer): Promise<Response> {
  const status = res.statusCode ?? 0;
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decode = decoders[encoding];
  const body = decode && raw.length > 0 ? await decode(raw) : raw;
  const headers = responseHeaders(res);
  if (decode) {
    // The body is handed over decoded, as fetch does.
    headers.delete('content-encoding');
    headers.delete('content-length');
  }
  return new Response(NO_BODY.has(status) ? null : (body as unknown as BodyInit), {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
}

/**
 * The subset of fetch the Google clients (gaxios) use, on node:http(s) with keep-alive agents: a buffered
 * request and response, decoded as fetch would, and a Response object. Node's own fetch (undici) cost about
 * twice as much CPU per call; for a quiet poll that call is most of the work. Honours the abort signal
 * gaxios uses for timeouts.
 */
export function nodeHttpFetch(input: string | URL | Request, init: FetchInit = {}): Promise<Response> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!transport) return Promise.reject(new TypeError(`nodeHttpFetch cannot fetch ${url.protocol} URLs`));
  const headers = outgoingHeaders(init);
  let body: Buffer | undefined;
  try {
    body = outgoingBody(init, headers);
  } catch (error) {
    return Promise.reject(error);
  }
  if (body) headers['content-length'] = String(body.length);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<Response>((resolve, reject) => {
    const req = transport.request(
      url,
      { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => toResponse(res, Buffer.concat(chunks)).then(resolve, reject));
      },
    );
    const onAbort = () => req.destroy((signal?.reason as Error | undefined) ?? new Error('The operation was aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => signal?.removeEventListener('abort', onAbort));
    req.on('error', reject);
    req.end(body);
  });
}
