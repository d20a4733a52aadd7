import { actor, Ctx, hasTarget, MATRIX, Target, TARGETS, WHOS } from './route-matrix';
import { listRoutes, SecurityWorld } from './support';

// A guard against a hang, not a speed check: the matrix sends hundreds of requests.
jest.setTimeout(360_000);

/**
 * Runs the matrix of route-matrix.ts against the running app. A route served by the app but missing from the
 * matrix fails, and so does a stale entry; a refused request (4xx, or a page's redirect to sign-in) and every
 * read must leave every table of the database byte-for-byte unchanged.
 */
describe('authorization matrix', () => {
  let world: SecurityWorld;
  beforeAll(async () => {
    world = await SecurityWorld.start();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('lists every route the app serves, and nothing it does not', () => {
    const served = listRoutes(world.app);
    expect(served.length).toBeGreaterThan(50);
    expect({
      unlisted: served.filter((r) => !(r in MATRIX)),
      stale: Object.keys(MATRIX).filter((r) => !served.includes(r)),
    }).toEqual({ unlisted: [], stale: [] });
  });

  it('answers every cell as expected, and a refusal or a read changes nothing in the database', async () => {
    const served = new Set(listRoutes(world.app));
    const routes = Object.keys(MATRIX)
      .filter((r) => served.has(r))
      .sort((a, b) => (MATRIX[a].late ?? 0) - (MATRIX[b].late ?? 0) || a.localeCompare(b));
    const mismatches: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const spec = MATRIX[route];
      const [method] = route.split(' ');
      for (const who of WHOS) {
        for (const target of hasTarget(route, spec) ? TARGETS : (['own'] as Target[])) {
          const cell = spec.expect[who];
          const expected = Array.isArray(cell) ? cell[TARGETS.indexOf(target)] : cell;
          await world.restoreCalendars();
          const c: Ctx = { who, target, world };
          const url = spec.url ? await spec.url(c) : route.split(' ')[1];
          const body = spec.body ? spec.body(c) : method === 'GET' || method === 'DELETE' ? undefined : {};
          const session = await world.session(who === 'anon' ? null : actor(c));
          await world.idle();
          const before = await world.dump();
          const res = await session.request(method, url, body, {
            accept: url.startsWith('/api/') ? 'application/json' : 'text/html',
            ...spec.headers?.(c),
          });
          const text = await res.text();
          await world.idle();
          cells++;
          const where = `${route} [${url}] as ${who} on ${target}`;
          if (res.status !== expected)
            mismatches.push(
              `${where}: expected ${expected}, got ${res.status} ${res.headers.get('location') ?? text.slice(0, 120)}`,
            );
          if (res.status >= 500) mismatches.push(`${where}: 5xx`);
          const refused =
            res.status >= 400 || (res.status === 302 && /\/app\/login/.test(res.headers.get('location') ?? ''));
          if ((refused || method === 'GET') && (await world.dump()) !== before)
            mismatches.push(`${where}: ${res.status} changed the database`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // Recorded in docs/SECURITY.md.
    expect(cells).toBeGreaterThan(400);
    process.stdout.write(`authorization matrix: ${routes.length} routes, ${cells} cells\n`);
  });
});
