import { runUntilSignal } from '../fake-shared/server-kit';
import { DEMO_MICROSOFT_APP, DEMO_TENANT, startFakeMicrosoft } from './index';

/** `npm run emulator:microsoft`: the emulator alone, seeded with the demo Microsoft 365 client tenant. */
async function main(): Promise<void> {
  const port = Number(process.env.FAKE_MICROSOFT_PORT ?? 4100);
  const host = process.env.FAKE_MICROSOFT_HOST ?? '127.0.0.1';
  const fake = await startFakeMicrosoft({ port, host, seed: 'demo', publicUrl: process.env.FAKE_MICROSOFT_PUBLIC_URL });
  runUntilSignal(
    [
      `Microsoft emulator listening on ${fake.url}`,
      `  MICROSOFT_BASE_URL=${fake.url}`,
      `  App (client) id:  ${DEMO_MICROSOFT_APP.clientId}`,
      `  Client secret:    ${DEMO_MICROSOFT_APP.clientSecret}`,
      `  Tenant:           ${DEMO_TENANT.domain} (sign in at ${fake.url}/common/oauth2/v2.0/authorize)`,
      `  Mailboxes, events and mail log: ${fake.url}/   Control API: ${fake.url}/__control/...`,
    ],
    fake.close,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
