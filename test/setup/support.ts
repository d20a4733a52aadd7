import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { CookieClient } from '../support/cookie-client';
import { RunningProduct, startProduct, TEST_SETUP_TOKEN } from '../support/product';

export const CLIENT_ID = 'busybridge-test.apps.googleusercontent.com';
export const CLIENT_SECRET = 'test-client-secret-123';
export const DOMAIN = 'home.example';

export interface World {
  fake: FakeGoogle;
  product: RunningProduct;
  close(): Promise<void>;
}

/** The emulator with one OAuth client registered for this product's redirect URIs, and a home Workspace. */
export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const fake = await startFakeGoogle();
  const product = await startProduct({ GOOGLE_BASE_URL: fake.url, ...env });
  seedWizardWorld(fake, product.url);
  return {
    fake,
    product,
    async close() {
      await product.close();
      await fake.close();
    },
  };
}

/** The OAuth client (redirect URIs on `productUrl`), the home Workspace and its accounts, in the emulator. */
export function seedWizardWorld(fake: FakeGoogle, productUrl: string): void {
  fake.control.seed({
    domains: [DOMAIN, 'client.example', 'sub.home.example'],
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: ['/auth/callback', '/auth/connect-client/callback', '/auth/connect-personal/callback'].map(
          (p) => `${productUrl}${p}`,
        ),
      },
    ],
    accounts: [
      { email: `admin@${DOMAIN}`, name: 'Ada Admin' },
      { email: `ann@${DOMAIN}`, name: 'Ann Home' },
      { email: 'cat@client.example', name: 'Cat Client' },
      { email: 'eve@gmail.example', name: 'Eve Personal', hd: null },
    ],
  });
}

export interface SignInResult {
  /** Where the product finally sent the browser (a path on the product). */
  location: string;
  /** Every response of the product on the way. */
  statuses: number[];
}

/**
 * Follows a sign-in like a browser: product -> Google (the emulator's account chooser is skipped by
 * adding login_hint, as if the user picked `email`) -> product callback -> ... until the product sends
 * the browser anywhere but Google or /auth.
 */
export async function signInWithGoogle(
  client: CookieClient,
  fake: FakeGoogle,
  email: string,
  start = '/auth/login',
): Promise<SignInResult> {
  const statuses: number[] = [];
  let next = start;
  for (let hops = 0; hops < 8; hops++) {
    if (next.startsWith(fake.url)) {
      const url = new URL(next);
      if (!url.searchParams.has('login_hint')) url.searchParams.set('login_hint', email);
      const google = await fetch(url, { redirect: 'manual' });
      if (google.status !== 302) throw new Error(`Google emulator answered ${google.status}: ${await google.text()}`);
      next = google.headers.get('location')!;
      continue;
    }
    const res = await client.get(next.replace(client.base, ''));
    statuses.push(res.status);
    const location = res.headers.get('location');
    if (res.status !== 302 && res.status !== 303) return { location: next.replace(client.base, ''), statuses };
    if (!location) throw new Error('redirect without location');
    const path = location.replace(client.base, '');
    if (!location.startsWith(fake.url) && !path.startsWith('/auth/')) return { location: path, statuses };
    next = location.startsWith(fake.url) ? location : path;
  }
  throw new Error('too many redirects during sign-in');
}

/** Step 1: the setup token opens the wizard for this client (the harness starts the product with TEST_SETUP_TOKEN). */
export async function unlockWizard(client: CookieClient, token = TEST_SETUP_TOKEN): Promise<Response> {
  return client.postJson('/setup/step/1', { setupToken: token });
}

/** The whole wizard over JSON, as API.md describes it; returns the admin's signed-in client. */
export async function completeWizard(
  world: World,
  adminEmail = `admin@${DOMAIN}`,
  setupToken = TEST_SETUP_TOKEN,
): Promise<CookieClient> {
  const client = new CookieClient(world.product.url);
  const steps: Array<[string, unknown]> = [
    ['/setup/step/1', { setupToken }],
    ['/setup/step/2', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
  ];
  for (const [path, body] of steps) {
    const res = await client.postJson(path, body);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  }
  const signIn = await signInWithGoogle(client, world.fake, adminEmail);
  if (signIn.location !== '/setup/step/3') throw new Error(`wizard sign-in ended at ${signIn.location}`);
  for (const [path, body] of [
    ['/setup/step/3', { confirm: true }],
    ['/setup/step/4', { enabled: false }],
  ] as const) {
    const res = await client.postJson(path, body);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  }
  await client.getJson('/setup/step/5');
  const done = await client.postJson('/setup/step/5', { savedKey: true });
  if (done.status !== 200) throw new Error(`/setup/step/5 answered ${done.status}: ${await done.text()}`);
  return client;
}
