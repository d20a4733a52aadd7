import { actor, Ctx, MATRIX, Who } from './route-matrix';
import { HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { dumpDatabase, listRoutes, SecurityWorld } from './support';
import { DataSource } from 'typeorm';

jest.setTimeout(180_000);

/**
 * CSRF (ASVS 3.5): every unsafe route the app serves, sent by the one actor who may use it (so only the CSRF
 * check stands in the way), x {no token, a wrong token, another browser's token, a valid token but
 * Sec-Fetch-Site: cross-site} -> 403 and not a byte of the database changed. The webhook is the one
 * exception API.md names (it carries no cookie and is checked by its channel token).
 */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EXEMPT = new Set(['POST /api/webhooks/google-calendar']);

type Variant = 'no token' | 'wrong token' | "another session's token" | 'cross-site' | 'wrong form field';

/** Headers and body of a forged request; `session` holds the victim's cookies. */
async function forge(
  variant: Variant,
  session: HttpSession,
  foreignToken: string,
  body: unknown,
): Promise<{ headers: Record<string, string>; body?: string }> {
  const cookie = session.cookieHeader();
  const json = body === undefined ? undefined : JSON.stringify(body);
  const jsonType: Record<string, string> = json === undefined ? {} : { 'content-type': 'application/json' };
  switch (variant) {
    case 'no token':
      return { headers: { cookie, ...jsonType }, body: json };
    case 'wrong token':
      return { headers: { cookie, 'x-csrf-token': 'A'.repeat(43), ...jsonType }, body: json };
    case "another session's token":
      return { headers: { cookie, 'x-csrf-token': foreignToken, ...jsonType }, body: json };
    case 'cross-site': {
      const own = (
        (await (await fetch(`${session.baseUrl}/api/csrf`, { headers: { cookie } })).json()) as { token: string }
      ).token;
      return { headers: { cookie, 'x-csrf-token': own, 'sec-fetch-site': 'cross-site', ...jsonType }, body: json };
    }
    case 'wrong form field': {
      const form = new URLSearchParams({ ...(body as Record<string, string> | undefined), _csrf: foreignToken });
      return { headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
    }
  }
}

const VARIANTS: Variant[] = ['no token', 'wrong token', "another session's token", 'cross-site', 'wrong form field'];

async function aForeignToken(base: string): Promise<string> {
  const other = new HttpSession(base);
  const res = await other.request('GET', '/api/csrf');
  return ((await res.json()) as { token: string }).token;
}

describe('CSRF on every unsafe route', () => {
  let world: SecurityWorld;
  beforeAll(async () => {
    world = await SecurityWorld.start();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('refuses each forged request with 403 and changes nothing', async () => {
    // The wizard's posts answer 404 once set up; they are forged below, while they exist.
    const routes = listRoutes(world.app).filter(
      (r) => UNSAFE.has(r.split(' ')[0]) && !EXEMPT.has(r) && !r.startsWith('POST /setup'),
    );
    expect(routes.length).toBeGreaterThan(30);
    const foreign = await aForeignToken(world.product.url);
    const failures: string[] = [];
    let cases = 0;
    for (const route of routes) {
      const spec = MATRIX[route];
      if (!spec) {
        failures.push(`${route}: not in the matrix (route-matrix.ts)`);
        continue;
      }
      // The actor for whom the request would succeed (2xx/3xx on their own resource), else the admin.
      const who: Who =
        (['user', 'admin', 'anon'] as Who[]).find((w) => {
          const cell = spec.expect[w];
          const status = Array.isArray(cell) ? cell[0] : cell;
          return status < 400 && !(w !== 'anon' && status === 302);
        }) ?? 'admin';
      for (const variant of VARIANTS) {
        await world.restoreCalendars();
        const c: Ctx = { who, target: 'own', world };
        const url = spec.url ? await spec.url(c) : route.split(' ')[1];
        const body = spec.body ? spec.body(c) : {};
        const session = await world.session(who === 'anon' ? null : actor(c));
        await session.request('GET', '/api/csrf');
        await world.idle();
        const before = await world.dump();
        const forged = await forge(variant, session, foreign, body);
        const res = await fetch(`${world.product.url}${url}`, {
          method: route.split(' ')[0],
          headers: { accept: 'application/json', ...forged.headers },
          body: forged.body,
          redirect: 'manual',
        });
        const text = await res.text();
        await world.idle();
        cases++;
        if (res.status !== 403)
          failures.push(`${route} [${url}] as ${who}, ${variant}: ${res.status} ${text.slice(0, 100)}`);
        if ((await world.dump()) !== before)
          failures.push(`${route} [${url}] as ${who}, ${variant}: changed the database`);
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBe(routes.length * VARIANTS.length);
    process.stdout.write(`CSRF: ${routes.length} unsafe routes x ${VARIANTS.length} forgeries = ${cases} cases\n`);
  });

  it('the same requests with the right token get through (the refusals above were the CSRF check)', async () => {
    const session = await world.session(world.ann);
    expect((await session.json('PUT', '/api/me/alert-preferences', { emailAlerts: false })).status).toBe(200);
    const form = new URLSearchParams({
      emailAlerts: 'true',
      _csrf: ((await (await session.request('GET', '/api/csrf')).json()) as { token: string }).token,
    });
    const res = await fetch(`${world.product.url}/app/settings/alerts`, {
      method: 'POST',
      headers: { cookie: session.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
  });
});

describe('CSRF in the setup wizard (before an organization exists)', () => {
  let product: RunningProduct;
  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(async () => {
    await product?.close();
  });

  it('refuses every forged wizard post with 403 and writes nothing', async () => {
    const routes = listRoutes(product.app).filter((r) => r.startsWith('POST /setup'));
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const foreign = await aForeignToken(product.url);
    const ds = product.app.get(DataSource);
    const failures: string[] = [];
    for (const route of routes) {
      for (const variant of VARIANTS) {
        const session = new HttpSession(product.url);
        await session.request('GET', '/setup');
        const before = await dumpDatabase(ds);
        const body = MATRIX[route]?.body?.({} as Ctx) ?? {};
        const forged = await forge(variant, session, foreign, body);
        const res = await fetch(`${product.url}${route.split(' ')[1]}`, {
          method: 'POST',
          headers: { accept: 'application/json', ...forged.headers },
          body: forged.body,
          redirect: 'manual',
        });
        if (res.status !== 403) failures.push(`${route}, ${variant}: ${res.status}`);
        if ((await dumpDatabase(ds)) !== before) failures.push(`${route}, ${variant}: changed the database`);
      }
    }
    expect(failures).toEqual([]);
  });
});
