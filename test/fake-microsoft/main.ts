import { DEMO_MICROSOFT_APP, DEMO_TENANT, startFakeMicrosoft } from './index';

/** `npm run emulator:microsoft`: the emulator alone, seeded with the demo Microsoft 365 client tenant. */
async function main(): Promise<void> {
  const port = Number(process.env.FAKE_MICROSOFT_PORT ?? 4100);
  const host = process.env.FAKE_MICROSOFT_HOST ?? '127.0.0.1';
  const fake = await startFakeMicrosoft({ port, host, seed: 'demo', publicUrl: process.env.FAKE_MICROSOFT_PUBLIC_URL });
  console.log(`Microsoft emulator listening on ${fake.url}`);
  console.log(`  MICROSOFT_BASE_URL=${fake.url}`);
  console.log(`  App (client) id:  ${DEMO_MICROSOFT_APP.clientId}`);
  console.log(`  Client secret:    ${DEMO_MICROSOFT_APP.clientSecret}`);
  console.log(`  Tenant:           ${DEMO_TENANT.domain} (sign in at ${fake.url}/common/oauth2/v2.0/authorize)`);
  console.log(`  Mailboxes, events and mail log: ${fake.url}/   Control API: ${fake.url}/__control/...`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
