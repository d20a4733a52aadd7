import fastifyCookie from '@fastify/cookie';
import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from './config/app-config';
import { KeyLoaderService } from './crypto/key-loader.service';
import { openDatabase } from './database/open-database';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { apiValidationPipe } from './http/validation.pipe';
import { JsonLogger } from './logging/json-logger';
import { configureViews } from './http/views';
import { registerSecurityHeaders } from './http/security-headers';

export interface CreateAppOptions {
  logger?: LoggerService | false;
}

/**
 * Builds the whole application: opens and migrates the database, checks the encryption key, wires
 * Fastify plugins. main.ts and the e2e tests both start the product through here.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = options.logger ?? new JsonLogger(config.logLevel, undefined, config.logFormat);
  const dataSource = await openDatabase(config.databasePath);
  // Behind nginx/Caddy the client's scheme and address arrive in X-Forwarded-*; only TRUST_PROXY may send them.
  const adapter = new FastifyAdapter({ trustProxy: config.trustProxy, bodyLimit: 256 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource), adapter, {
    logger: logger === false ? false : logger,
    bufferLogs: false,
  });
  await app.register(fastifyCookie);
  configureViews(app);
  registerSecurityHeaders(app, config.publicUrl);
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(apiValidationPipe());
  // Signals are handled in main.ts (exit 0 within 10 s); tests close the app themselves.
  try {
    await app.get(KeyLoaderService).load();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
