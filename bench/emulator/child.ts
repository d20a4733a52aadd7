import { startFakeGoogle } from '../../test/fake-google';

/**
 * The emulator in its own process (forked by the bench), so the product's CPU time and memory are
 * measured without the emulator's. Answers `usage` requests over IPC with its own figures.
 */
async function main(): Promise<void> {
  const fake = await startFakeGoogle();
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'usage')
      process.send?.({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
    if (msg.type === 'close') void fake.close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url: fake.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
