import { DEMO_CLIENT, startFakeGoogle } from './index';

/** `npm run emulator`: the emulator alone, seeded with the demo organisation. */
async function main(): Promise<void> {
  const port = Number(process.env.FAKE_GOOGLE_PORT ?? 4000);
  const host = process.env.FAKE_GOOGLE_HOST ?? '127.0.0.1';
  const fake = await startFakeGoogle({ port, host, seed: 'demo', publicUrl: process.env.FAKE_GOOGLE_PUBLIC_URL });
  console.log(`Google emulator listening on ${fake.url}`);
  console.log(`  GOOGLE_BASE_URL=${fake.url}`);
  console.log(`  OAuth client id:     ${DEMO_CLIENT.clientId}`);
  console.log(`  OAuth client secret: ${DEMO_CLIENT.clientSecret}`);
  console.log(`  Calendars and events: ${fake.url}/   Control API: ${fake.url}/__control/...`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
