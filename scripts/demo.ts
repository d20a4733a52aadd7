import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { DemoHint } from '../src/ui/demo-hint';
import { DEMO_CLIENT, startFakeGoogle } from '../test/fake-google';
import { DEMO_MICROSOFT_APP, startFakeMicrosoft } from '../test/fake-microsoft';

/**
 * `npm run demo`: the product and the Google emulator together, seeded with a demo organisation, so a
 * newcomer can complete the wizard, connect demo client calendars and watch busy blocks appear.
 * Data lives in ./data/demo (delete it to start over).
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const googlePort = Number(process.env.FAKE_GOOGLE_PORT ?? 4000);
  const google = await startFakeGoogle({ port: googlePort, host: '127.0.0.1', seed: 'demo' });
  // A Microsoft 365 client tenant beside it, ready for the Microsoft provider.
  const microsoft = await startFakeMicrosoft({
    port: Number(process.env.FAKE_MICROSOFT_PORT ?? 4100),
    host: '127.0.0.1',
    seed: 'demo',
  });
  const dir = path.resolve(process.env.DEMO_DATA_DIR ?? 'data/demo');
  // The wizard needs a setup token; the demo fills it in on the welcome page for the newcomer.
  const setupToken = process.env.SETUP_TOKEN || randomBytes(18).toString('base64url');
  const config = loadConfig({
    ...process.env,
    PORT: String(port),
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    DATABASE_PATH: path.join(dir, 'calendar-sync.db'),
    ENCRYPTION_KEY_FILE: path.join(dir, 'encryption.key'),
    GOOGLE_BASE_URL: google.url,
    SYNC_POLL_SECONDS: process.env.SYNC_POLL_SECONDS ?? '30',
    SETUP_TOKEN: setupToken,
  });
  const app = await createApp(config);
  // The pages show the newcomer what to type and where to look (the wizard's step 2, the dashboard).
  app.get(DemoHint).enable({
    ...DEMO_CLIENT,
    signInAs: 'alice@consultancy.example',
    clientAccounts: ['alice@acme.example', 'alice@globex.example', 'alice@initech.example'],
    personalAccount: 'alice.personal@gmail.example',
    emulatorPage: `${google.url}/`,
    setupToken,
  });
  await app.listen({ port: config.port, host: config.host });
  const banner = [
    '',
    'BusyBridge demo is running.',
    `  Open ${config.publicUrl} and complete the setup wizard (the welcome page has the setup token filled in:`,
    `    ${setupToken}), then at step 2 (which shows them too):`,
    `    Client ID:     ${DEMO_CLIENT.clientId}`,
    `    Client Secret: ${DEMO_CLIENT.clientSecret}`,
    '  Sign in as alice@consultancy.example; connect alice@acme.example, alice@globex.example or',
    '  alice@initech.example as client calendars and alice.personal@gmail.example as a personal one.',
    `  Every demo calendar and its events: ${google.url}/`,
    `  Microsoft 365 emulator (tenant fabrikam.example, app ${DEMO_MICROSOFT_APP.clientId}): ${microsoft.url}/`,
    `  Data: ${dir} (delete it to start over)`,
    '',
  ];
  process.stdout.write(banner.join('\n') + '\n');
  const stop = async () => {
    await app.close();
    await google.close();
    await microsoft.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
