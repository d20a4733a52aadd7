import { INestApplicationContext, Logger } from '@nestjs/common';
import { AlertsService } from './alerts.service';

/**
 * Node ends the process on an unhandled promise rejection. On a Pi that runs for weeks a stray rejection
 * (a fire-and-forget call somewhere) must not take every user's sync down: it is logged and sent to the
 * admins as a system_error (de-duplicated hourly), and the process keeps serving.
 */
export function alertOnUnhandledRejections(app: INestApplicationContext): () => void {
  const logger = new Logger('Process');
  const listener = (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    logger.error('Unhandled promise rejection', {
      error: message,
      stack: reason instanceof Error ? reason.stack : undefined,
    });
    void app
      .get(AlertsService)
      .raise({ type: 'system_error', error: `Unhandled error: ${message}`, dedupScope: 'process:unhandled-rejection' });
  };
  process.on('unhandledRejection', listener);
  return () => process.off('unhandledRejection', listener);
}
