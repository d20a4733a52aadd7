import { SyncService } from '../../src/sync/sync.service';
import { DemoHint } from '../../src/ui/demo-hint';
import { DEMO_CLIENT, FakeGoogle, startFakeGoogle } from '../fake-google';
import { signInWithGoogle } from '../setup/support';
import { CookieClient } from '../support/cookie-client';
import { RunningProduct, startProduct, TEST_SETUP_TOKEN } from '../support/product';

/**
 * The newcomer's path through `npm run demo` (scripts/demo.ts wires the same pieces): the wizard's step 2 shows
 * the demo credentials, the wizard completes with them, a demo client calendar is connected, and busy blocks
 * appear on the emulator's own calendars page.
 */
describe('npm run demo: from the wizard to busy blocks', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;

  beforeAll(async () => {
    fake = await startFakeGoogle({ seed: 'demo' });
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    product.app.get(DemoHint).enable({
      ...DEMO_CLIENT,
      signInAs: 'alice@consultancy.example',
      clientAccounts: ['alice@acme.example'],
      personalAccount: 'alice.personal@gmail.example',
      emulatorPage: `${fake.url}/`,
      setupToken: TEST_SETUP_TOKEN,
    });
  });
  afterAll(async () => {
    await product?.app.get(SyncService).onIdle();
    await product?.close();
    await fake?.close();
  });

  it('shows the credentials on the wizard, and a consultant sees busy blocks on the emulator page', async () => {
    const admin = new CookieClient(product.url);
    // The demo fills the setup token in on the welcome page.
    expect(await (await admin.get('/setup/step/1')).text()).toContain(`value="${TEST_SETUP_TOKEN}"`);
    expect((await admin.postJson('/setup/step/1', { setupToken: TEST_SETUP_TOKEN })).status).toBe(200);
    const step2 = await (await admin.get('/setup/step/2')).text();
    expect(step2).toContain('data-testid="demo-credentials"');
    expect(step2).toContain(DEMO_CLIENT.clientId);
    expect(step2).toContain(DEMO_CLIENT.clientSecret);
    expect((await admin.postJson('/setup/step/2', DEMO_CLIENT)).status).toBe(200);
    expect((await signInWithGoogle(admin, fake, 'alice@consultancy.example')).location).toBe('/setup/step/3');
    expect(await (await admin.get('/setup/step/3')).text()).toContain('alice@consultancy.example');
    for (const [path, body] of [
      ['/setup/step/3', { confirm: true }],
      ['/setup/step/4', { enabled: false }],
    ] as const) {
      expect((await admin.postJson(path, body)).status).toBe(200);
    }
    await admin.getJson('/setup/step/5');
    expect((await admin.postJson('/setup/step/5', { savedKey: true })).status).toBe(200);

    const dashboard = await (await admin.get('/app')).text();
    expect(dashboard).toContain('data-testid="demo-card"');
    expect(dashboard).toContain(`href="${fake.url}/"`);

    // The account chooser, answered as the person would: alice@acme.example.
    const authorize = new URL((await admin.get('/auth/connect-client')).headers.get('location')!);
    authorize.searchParams.set('login_hint', 'alice@acme.example');
    const back = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
    const picker = (await admin.get(back.replace(product.url, ''))).headers.get('location')!;
    const account = Number(new URL(picker, 'http://x').searchParams.get('account'));
    expect(account).toBeGreaterThan(0);
    const added = await admin.request('/api/client-calendars', {
      method: 'POST',
      json: { accountId: account, calendarId: 'alice@acme.example' },
      csrf: true,
    });
    expect(added.status).toBe(201);
    await product.app.get(SyncService).onIdle();
    const emulatorPage = await (await fetch(`${fake.url}/`)).text();
    expect(emulatorPage).toContain('[BusyBridge] Busy');
    expect(emulatorPage).toContain('Acme sprint planning');
  });
});
