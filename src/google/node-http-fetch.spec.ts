import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { nodeHttpFetch } from './node-http-fetch';

// The fetch the Google clients use: what gaxios relies on must behave as Node's fetch does.
describe('nodeHttpFetch', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method as string, headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/json')
          return res
            .writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] })
            .end('{"items":[1,2]}');
        if (req.url === '/gzip')
          return res
            .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
            .end(gzipSync('{"zipped":true}'));
        if (req.url === '/empty') return res.writeHead(204).end();
        if (req.url === '/limited')
          return res
            .writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' })
            .end('{"error":{"code":429}}');
        if (req.url === '/slow') return setTimeout(() => res.writeHead(200).end('late'), 2000);
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body, and answers a Response', async () => {
    const res = await nodeHttpFetch(`${base}/json`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [1, 2] });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: 'Bearer t', 'content-length': '7' },
    });
  });

  it('sends a form (the token endpoint) with its content type', async () => {
    await nodeHttpFetch(`${base}/json`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r' }),
    });
    expect(seen.at(-1)).toMatchObject({
      body: 'grant_type=refresh_token&refresh_token=r',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    });
  });

  it('decodes a gzip body as fetch does', async () => {
    const res = await nodeHttpFetch(`${base}/gzip`);
    expect(await res.json()).toEqual({ zipped: true });
    expect(res.headers.get('content-encoding')).toBeNull();
  });

  it('passes error statuses and their headers through, and a 204 without a body', async () => {
    const limited = await nodeHttpFetch(`${base}/limited`);
    expect([limited.status, limited.headers.get('retry-after'), await limited.text()]).toEqual([
      429,
      '3',
      '{"error":{"code":429}}',
    ]);
    const empty = await nodeHttpFetch(`${base}/empty`);
    expect([empty.status, await empty.text()]).toEqual([204, '']);
  });

  it('stops at the abort signal (gaxios times calls out with one)', async () => {
    await expect(nodeHttpFetch(`${base}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    await expect(nodeHttpFetch(`${base}/json`, { signal: aborted.signal })).rejects.toThrow('gone');
  });
});
