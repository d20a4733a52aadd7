import { request as httpRequest } from 'node:http';
import { THROTTLE_LIMITS, AUTH_THROTTLER } from '../../src/http/throttling.module';
import { actor, Ctx, MATRIX, Who } from './route-matrix';
import { changedTables, listRoutes, SecurityWorld } from './support';

jest.setTimeout(300_000);

/**
 * The router decodes percent escapes and resolves dot segments before it picks a handler, so every check
 * must be decided on the route it picked, not on the raw URL. Every unsafe route of the matrix is sent
 * spelled five other ways, by the actor who may use it but without a CSRF token, and by someone who may
 * not use it with a valid token: 403 or 404 (or the refusal of the matrix), and not a byte changes.
 */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WEBHOOKS = new Set(['POST /api/webhooks/google-calendar']);

/** `/api/me/x` spelled as the router reads it but no raw-prefix comparison would. */
function spellings(url: string): Array<[string, string]> {
  const [path, query] = url.split('?');
  const q = query ? `?${query}` : '';
  const segments = path.split('/').slice(1);
  const escape = (s: string) => `%${s.charCodeAt(0).toString(16)}${s.slice(1)}`;
  const last = segments.length - 1;
  return [
    ['percent escape, first segment', `/${[escape(segments[0]), ...segments.slice(1)].join('/')}${q}`],
    ['percent escape, last segment', `/${[...segments.slice(0, last), escape(segments[last])].join('/')}${q}`],
    ['dot segments', `/${segments[0]}/./x/../${segments.slice(1).join('/')}${q}`],
    ['doubled slash', `/${segments[0]}//${segments.slice(1).join('/')}${q}`],
    ['trailing slash', `${path}/${q}`],
  ];
}

interface Sent {
  status: number;
  text: string;
}

/** Raw HTTP, so that the path goes out exactly as written (fetch would resolve dot segments first). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Sent> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname,
        port,
        method,
        path,
        headers: {
          accept: 'application/json',
          ...headers,
          ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The actor for whom the route succeeds, and one the matrix refuses (none for routes open to all, such as logout). */
function actors(route: string): Who[] {
  const spec = MATRIX[route];
  const status = (w: Who) => {
    const cell = spec.expect[w];
    return Array.isArray(cell) ? cell[0] : cell;
  };
  const ok = (w: Who) => status(w) < 400 && !(w !== 'anon' && status(w) === 302);
  const allowed = (['user', 'admin'] as Who[]).find(ok) ?? 'admin';
  const refused = (['anon', 'user'] as Who[]).find((w) => status(w) >= 400 || (w === 'anon' && status(w) === 302));
  return refused ? [allowed, refused] : [allowed];
}

describe('unsafe routes spelled differently', () => {
  let world: SecurityWorld;
  beforeAll(async () => {
    world = await SecurityWorld.start();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('are refused (403/404, or the refusal of the matrix) and change nothing, whoever sends them', async () => {
    const routes = listRoutes(world.app).filter(
      (r) => UNSAFE.has(r.split(' ')[0]) && !WEBHOOKS.has(r) && !r.startsWith('POST /setup'),
    );
    expect(routes.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let cases = 0;
    for (const route of routes) {
      const spec = MATRIX[route];
      if (!spec) {
        failures.push(`${route}: not in the matrix (route-matrix.ts)`);
        continue;
      }
      const [method] = route.split(' ');
      const [allowed, refused] = actors(route);
      for (const who of actors(route)) {
        const withToken = who !== allowed;
        await world.restoreCalendars();
        const c: Ctx = { who, target: 'own', world };
        const url = spec.url ? await spec.url(c) : route.split(' ')[1];
        const body = JSON.stringify(spec.body ? (spec.body(c) ?? {}) : {});
        const session = await world.session(who === 'anon' ? null : actor(c));
        const token = ((await (await session.request('GET', '/api/csrf')).json()) as { token: string }).token;
        const headers: Record<string, string> = {
          cookie: session.cookieHeader(),
          'content-type': 'application/json',
          ...(withToken ? { 'x-csrf-token': token } : {}),
        };
        const cell = spec.expect[refused ?? allowed];
        const matrixRefusal = Array.isArray(cell) ? cell[0] : cell;
        for (const [spelling, path] of spellings(url)) {
          await world.idle();
          const before = await world.dump();
          const res = await send(world.product.url, method, path, headers, body);
          await world.idle();
          cases++;
          const accepted = withToken ? [403, 404, matrixRefusal] : [403, 404];
          const label = `${route} as ${who} ${withToken ? 'with' : 'without'} a token, ${spelling} [${path}]`;
          if (!accepted.includes(res.status)) failures.push(`${label}: ${res.status} ${res.text.slice(0, 80)}`);
          const after = await world.dump();
          if (after !== before) failures.push(`${label}: changed ${changedTables(before, after).join(', ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    process.stdout.write(
      `Route spellings: ${routes.length} unsafe routes x (1 or 2 actors) x 5 spellings = ${cases} cases\n`,
    );
  });

  it('a spelled path does reach its handler: with the token, the right user is served (the 403s above were the CSRF check)', async () => {
    const session = await world.session(world.ann);
    const token = ((await (await session.request('GET', '/api/csrf')).json()) as { token: string }).token;
    const body = JSON.stringify({ emailAlerts: false });
    const headers = { cookie: session.cookieHeader(), 'content-type': 'application/json' };
    expect((await send(world.product.url, 'PUT', '/%61pi/me/alert-preferences', headers, body)).status).toBe(403);
    expect((await send(world.product.url, 'POST', '/%61uth/logout', headers, '{}')).status).toBe(403);
    expect((await send(world.product.url, 'POST', '/auth/%6Cogout', headers, '{}')).status).toBe(403);
    expect((await session.json('GET', '/api/me')).status).toBe(200);
    const served = await send(
      world.product.url,
      'PUT',
      '/%61pi/me/alert-preferences',
      { ...headers, 'x-csrf-token': token },
      body,
    );
    expect(served.status).toBe(200);
    expect(JSON.parse(served.text)).toEqual({ emailAlerts: false });
  });

  it('the sign-in throttle counts /auth/login however it is spelled', async () => {
    const limit = THROTTLE_LIMITS[AUTH_THROTTLER].limit;
    const statuses: number[] = [];
    // Dot segments are not resolved by the router (404, above), so they reach no handler to count.
    const forms = ['/auth/login', '/%61uth/login', '/auth/%6Cogin', '/%61%75%74%68/%6c%6f%67%69%6e'];
    for (let i = 0; i <= limit; i++)
      statuses.push(
        (await send(world.product.url, 'GET', forms[i % forms.length], { 'x-forwarded-for': '198.51.100.23' })).status,
      );
    expect(statuses.slice(0, limit).filter((s) => s === 429)).toEqual([]);
    expect(statuses[limit]).toBe(429);
  });
});
