import fc from 'fast-check';
import { HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { listRoutes, SecurityWorld } from './support';

jest.setTimeout(240_000);

/**
 * fast-check over every route the app serves: malformed JSON, JSON of the wrong shape (with the DTOs' own
 * field names), forms, wrong content types, hostile path parameters and query strings, sent as the admin
 * (so the requests get past the guards and CSRF to validation and the handlers). Bounded runs; the answer
 * is always < 500 and the process stays up.
 */
const FIELDS = [
  'accountId',
  'calendarId',
  'emailAlerts',
  'isAdmin',
  'confirm',
  'clientId',
  'clientSecret',
  'enabled',
  'smtpHost',
  'smtpPort',
  'smtpUsername',
  'smtpPassword',
  'fromAddress',
  'adminEmails',
  'savedKey',
  'alertsEnabled',
  'alertEmails',
  'to',
  'googleClientId',
  'googleClientSecret',
  'smtpFromAddress',
  'confirmEmail',
  '_csrf',
  '__proto__',
  'constructor',
  'prototype',
];
const QUERY_KEYS = [
  'page',
  'pageSize',
  'calendarId',
  'userId',
  'status',
  'from',
  'to',
  'weeks',
  'after',
  'until',
  'next',
  'error',
  'account',
  'search',
  'admin',
  'action',
  'code',
  'state',
  'prompt',
  'login_hint',
  'done',
  'signedOut',
  '__proto__',
];
const NASTY = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  '0x10',
  'NaN',
  'Infinity',
  '2147483648',
  '99999999999999999999',
  '1 OR 1=1',
  "'; DROP TABLE users;--",
  '../../etc/passwd',
  '%00',
  '\u0000',
  '<script>',
  '{{7*7}}',
  '${7*7}',
  '[]',
  '{}',
  'null',
  'true',
  'ünïcödé',
  '\ud800',
  'a'.repeat(5000),
];

const scalar = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(fc.constantFrom(...FIELDS), scalar, { maxKeys: 4 }),
);
const shapedJson = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 })), value, {
  maxKeys: 6,
});
const segment = fc.oneof(
  fc.constantFrom(...NASTY.filter((s) => s.length < 100)),
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.integer({ min: 100_000 }).map(String),
);

type Payload = { contentType?: string; body?: string };
const payload: fc.Arbitrary<Payload> = fc.oneof(
  shapedJson.map((j) => ({ contentType: 'application/json', body: JSON.stringify(j) })),
  fc.jsonValue().map((j) => ({ contentType: 'application/json', body: JSON.stringify(j) })),
  fc
    .oneof(
      fc.string(),
      fc.constantFrom('{', '{"a":', '[1,', '{"__proto__":{"isAdmin":true}}', 'null', '"x"', '{"a":1}{"b":2}', '\u0000'),
    )
    .map((b) => ({ contentType: 'application/json', body: b })),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })),
      fc.oneof(fc.string(), fc.constantFrom(...NASTY)),
      { maxKeys: 5 },
    )
    .map((d) => ({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(d).toString() })),
  fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-7',
        'image/png',
      ),
      fc.string(),
    )
    .map(([contentType, body]) => ({ contentType, body })),
  fc.constant({}),
);
const query = fc.dictionary(fc.constantFrom(...QUERY_KEYS), fc.oneof(fc.constantFrom(...NASTY), fc.string()), {
  maxKeys: 4,
});

function fill(route: string, params: string[]): string {
  let i = 0;
  return route.replace(/:[A-Za-z]+|\*/g, () => encodeURIComponent(params[i++ % params.length] ?? 'x'));
}

async function fuzz(
  base: string,
  session: HttpSession,
  routes: string[],
  runsPerRoute: number,
): Promise<{ requests: number; failures: string[] }> {
  const failures: string[] = [];
  let requests = 0;
  const csrf = ((await (await session.request('GET', '/api/csrf')).json()) as { token: string }).token;
  for (const route of routes) {
    const [method, path] = route.split(' ');
    await fc
      .assert(
        fc.asyncProperty(fc.array(segment, { minLength: 2, maxLength: 2 }), query, payload, async (params, q, p) => {
          const qs = new URLSearchParams(q).toString();
          const url = `${base}${fill(path, params)}${qs ? `?${qs}` : ''}`;
          const headers: Record<string, string> = {
            accept: 'application/json',
            cookie: session.cookieHeader(),
            'x-csrf-token': csrf,
          };
          const withBody = method !== 'GET' && p.body !== undefined;
          if (withBody && p.contentType) headers['content-type'] = p.contentType;
          let status: number;
          try {
            const res = await fetch(url, { method, headers, body: withBody ? p.body : undefined, redirect: 'manual' });
            await res.arrayBuffer();
            status = res.status;
          } catch (error) {
            failures.push(`${route} ${url.slice(0, 200)}: no answer (${(error as Error).message})`);
            return false;
          }
          requests++;
          if (status >= 500)
            failures.push(
              `${route} ${url.slice(base.length, 200)} ${p.contentType} ${String(p.body).slice(0, 120)}: ${status}`,
            );
          return status < 500;
        }),
        { numRuns: runsPerRoute, seed: 1124, endOnFailure: true },
      )
      .catch(() => undefined);
  }
  return { requests, failures };
}

describe('fuzzing every endpoint with malformed input', () => {
  let world: SecurityWorld;
  beforeAll(async () => {
    world = await SecurityWorld.start();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('answers every malformed request of every route below 500, and keeps running', async () => {
    // The reset would end the run early if it ever succeeded; it is fuzzed like the rest, last.
    const routes = listRoutes(world.app).sort(
      (a, b) => Number(a.includes('factory-reset')) - Number(b.includes('factory-reset')),
    );
    const admin = await world.session(world.ada);
    const { requests, failures } = await fuzz(world.product.url, admin, routes, Number(process.env.FUZZ_RUNS ?? 25));
    expect(failures).toEqual([]);
    expect((await fetch(`${world.product.url}/health`)).status).toBe(200);
    expect(requests).toBeGreaterThan(routes.length * 20);
    process.stdout.write(`fuzz (signed in): ${routes.length} routes, ${requests} requests, 0 answers >= 500\n`);
  });
});

describe('holes the fuzzer found (fixed)', () => {
  let world: SecurityWorld;
  beforeAll(async () => {
    world = await SecurityWorld.start();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a text/plain body on an unsafe route is a 4xx, not a 500 from the CSRF check', async () => {
    const admin = await world.session(world.ada);
    const csrf = ((await (await admin.request('GET', '/api/csrf')).json()) as { token: string }).token;
    for (const [method, path] of [
      ['PUT', '/api/me/alert-preferences'],
      ['POST', '/auth/logout'],
      ['POST', '/api/admin/cleanup'],
    ]) {
      const plain = await fetch(`${world.product.url}${path}`, {
        method,
        headers: { cookie: admin.cookieHeader(), 'content-type': 'text/plain', accept: 'application/json' },
        body: '_csrf=x',
      });
      expect([path, plain.status]).toEqual([path, 403]);
      const withToken = await fetch(`${world.product.url}${path}`, {
        method,
        headers: {
          cookie: admin.cookieHeader(),
          'x-csrf-token': csrf,
          'content-type': 'text/plain',
          accept: 'application/json',
        },
        body: 'hello',
      });
      expect([path, withToken.status < 500]).toEqual([path, true]);
    }
  });

  it('admin form posts without any body answer like an empty form, not 500', async () => {
    const admin = await world.session(world.ada);
    const csrf = ((await (await admin.request('GET', '/api/csrf')).json()) as { token: string }).token;
    const paths = [
      '/admin/settings',
      '/admin/settings/test-email',
      `/admin/users/${world.ann.id}/admin`,
      `/admin/users/${world.ann.id}/remove`,
      '/admin/factory-reset',
    ];
    for (const path of paths) {
      const res = await fetch(`${world.product.url}${path}`, {
        method: 'POST',
        headers: { cookie: admin.cookieHeader(), 'x-csrf-token': csrf },
        redirect: 'manual',
      });
      expect([path, res.status < 500]).toEqual([path, true]);
    }
    for (const path of ['/admin/settings', '/admin/settings/test-email']) {
      const res = await fetch(`${world.product.url}${path}`, {
        method: 'POST',
        headers: { cookie: admin.cookieHeader(), 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ smtpHost: 5, to: [{}], googleClientId: { x: 1 } }),
        redirect: 'manual',
      });
      expect([path, res.status < 500]).toEqual([path, true]);
    }
    // Nothing was removed or reset by the empty posts.
    expect((await (await world.session(world.ann)).json('GET', '/api/me')).status).toBe(200);
  });
});

describe('fuzzing the setup wizard before setup', () => {
  let product: RunningProduct;
  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(async () => {
    await product?.close();
  });

  it('answers every malformed wizard request below 500', async () => {
    const routes = listRoutes(product.app).filter((r) => r.includes('/setup'));
    const session = new HttpSession(product.url);
    await session.request('GET', '/setup');
    const { requests, failures } = await fuzz(product.url, session, routes, Number(process.env.FUZZ_RUNS ?? 25));
    expect(failures).toEqual([]);
    expect((await fetch(`${product.url}/health`)).status).toBe(200);
    process.stdout.write(`fuzz (wizard): ${routes.length} routes, ${requests} requests, 0 answers >= 500\n`);
  });
});
