import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { StartupKeyError } from './crypto/key-loader.service';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfig();
  process.env.TZ = config.tz;
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  // One clear line for the operator; a configuration or key problem needs no stack trace.
  if (error instanceof ConfigError || error instanceof StartupKeyError) {
    process.stderr.write(`BusyBridge cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`BusyBridge cannot start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  }
  process.exit(1);
});
