import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { StartupKeyError } from './crypto/key-loader.service';
import { createApp } from './app.factory';
import { alertOnUnhandledRejections } from './alerts/unhandled-rejections';

async function main(): Promise<void> {
  const config = loadConfig();
  process.env.TZ = config.tz;
  const app = await createApp(config);
  exitOnSignals(app);
  alertOnUnhandledRejections(app);
  await app.listen({ port: config.port, host: config.host });
}

/** Docker stops with SIGTERM and kills 10 s later (we aim for 8 s); finish well before that. */
const SHUTDOWN_DEADLINE_MS = 7_500;

/**
 * SIGTERM/SIGINT: stop taking requests and job ticks, let in-flight work finish (or abandon it at a
 * transaction boundary), close the database, exit 0. Nest's own signal hook re-raises the signal and
 * has no deadline, so main.ts owns this instead.
 */
function exitOnSignals(app: INestApplication): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    process.stdout.write(
      JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: `Received ${signal}, shutting down` }) +
        '\n',
    );
    const deadline = setTimeout(() => {
      process.stderr.write(`BusyBridge did not stop within ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // Requests in flight when the signal lands finish, but their keep-alive sockets would then hold
    // server.close() open for Fastify's 72 s keepAliveTimeout: close each one as soon as it goes idle.
    const server = app.getHttpServer() as { closeIdleConnections?: () => void };
    const sweeper = setInterval(() => server.closeIdleConnections?.(), 50);
    sweeper.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`BusyBridge shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // One clear line for the operator; a configuration or key problem needs no stack trace.
  if (error instanceof ConfigError || error instanceof StartupKeyError) {
    process.stderr.write(`BusyBridge cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(
      `BusyBridge cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
