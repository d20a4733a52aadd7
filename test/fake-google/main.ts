import { runUntilSignal } from '../fake-shared/server-kit';
import { DEMO_CLIENT, startFakeGoogle } from './index';

/** `npm run emulator`: the emulator alone, seeded with the demo organisation. */
async function main(): Promise<void> {
  const port = Number(process.env.FAKE_GOOGLE_PORT ?? 4000);
  const host = process.env.FAKE_GOOGLE_HOST ?? '127.0.0.1';
  const fake = await startFakeGoogle({ port, host, seed: 'demo', publicUrl: process.env.FAKE_GOOGLE_PUBLIC_URL });
  runUntilSignal(
    [
      `Google emulator listening on ${fake.url}`,
      `  GOOGLE_BASE_URL=${fake.url}`,
      `  OAuth client id:     ${DEMO_CLIENT.clientId}`,
      `  OAuth client secret: ${DEMO_CLIENT.clientSecret}`,
      `  Calendars and events: ${fake.url}/   Control API: ${fake.url}/__control/...`,
    ],
    fake.close,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
