import { promises as fs } from 'node:fs';
import { freePort } from '../support/product';
import { Container } from './container';
import { Build, buildImage, docker, ensureBaseImage, ensureDockerd, imageSizeMb, run, volumeDirs } from './docker';

const TAG = 'busybridge:container-test-arm64';

/**
 * `npm run test:container:arm64`: the same Dockerfile built for a Raspberry Pi (linux/arm64) under qemu
 * emulation on this machine, started to a healthy /health. Too slow for CI; it prints the figures
 * docs/BENCHMARKS.md records (build time, image size, start to healthy -- all under emulation).
 */
describe('the arm64 image (Raspberry Pi), under qemu', () => {
  let stopDockerd: () => Promise<void> = async () => undefined;
  let build: Build;
  let container: Container;
  let dirs: Awaited<ReturnType<typeof volumeDirs>>;
  const figures: string[] = [];

  beforeAll(
    async () => {
      const binfmt = await run('scripts/container/binfmt-arm64.sh', []);
      if (binfmt.code !== 0) throw new Error(`arm64 emulation unavailable: ${binfmt.stderr}`);
      stopDockerd = await ensureDockerd();
      await ensureBaseImage('arm64');
      build = await buildImage('arm64', TAG);
      figures.push(`build ${Math.round(build.seconds / 60)} min (${build.seconds} s)`);
      dirs = await volumeDirs();
    },
    6 * 60 * 60_000,
  );

  afterAll(async () => {
    await container?.remove();
    if (dirs) await fs.rm(dirs.root, { recursive: true, force: true });
    await stopDockerd();
    console.log(`container test (arm64 under qemu): ${figures.join(', ')}`);
  });

  it('is a linux/arm64 image under 250 MB', async () => {
    expect(await docker('image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', TAG)).toBe('linux/arm64');
    const size = await imageSizeMb(TAG);
    figures.push(`image ${size} MB`);
    expect(size).toBeLessThan(250);
  });

  it('starts as uid 1000 on a read-only root file system to a healthy /health', async () => {
    const port = await freePort();
    container = new Container({
      image: TAG,
      name: `bb-container-arm64-${process.pid}`,
      port,
      volumes: dirs,
      env: { PUBLIC_URL: `http://127.0.0.1:${port}` },
    });
    const started = Date.now();
    await container.start();
    expect((await container.healthy(5 * 60_000)).status).toBe('ok');
    figures.push(`start to /health ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect((await container.exec('uname', '-m')).stdout.trim()).toBe('aarch64');
    expect((await container.exec('cat', '/proc/1/status')).stdout).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    const stopped = await container.stop();
    figures.push(`docker stop ${stopped.seconds.toFixed(1)} s`);
    expect(stopped.exitCode).toBe(0);
  });
});
