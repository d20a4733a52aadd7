import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';

export interface RunningProduct {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  dir: string;
  close(options?: { keepFiles?: boolean }): Promise<void>;
}

/** The wizard's setup token in tests (SETUP_TOKEN); pass `SETUP_TOKEN: ''` to have the product generate one. */
export const TEST_SETUP_TOKEN = 'e2e-setup-token-0123456789';

/**
 * Starts the real product in-process on a free port with its own temporary SQLite file and key path.
 * `env` overrides any API.md variable (GOOGLE_BASE_URL to point it at the emulator).
 */
export async function startProduct(env: Record<string, string> = {}, dir?: string): Promise<RunningProduct> {
  const workDir = dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'bb-product-')));
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_PATH: path.join(workDir, 'data', 'calendar-sync.db'),
    ENCRYPTION_KEY_FILE: path.join(workDir, 'secrets', 'encryption.key'),
    LOG_LEVEL: 'error',
    // Wall-clock crons (consistency at :30, token refresh, renewal) would add calls to any test's call log.
    JOBS_ENABLED: 'false',
    SETUP_TOKEN: TEST_SETUP_TOKEN,
    ...env,
  });
  const app = await createApp(config, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    config,
    dir: workDir,
    async close(options = {}) {
      await app.close();
      if (!options.keepFiles && !dir) await fs.rm(workDir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
