import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { AlertsModule } from '../alerts/alerts.module';
import { GoogleModule } from '../google/google.module';
import { SettingsModule } from '../settings/settings.module';
import { SyncModule } from '../sync/sync.module';
import { CALENDAR_WEBHOOKS } from '../calendars/sync-ports';
import { JOBS_WEBHOOKS } from '../jobs/job-ports';
import { MetricsModule } from '../metrics/metrics.module';
import { acceptEmptyNotificationBodies } from './empty-body.hook';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

/**
 * Push channels and their receiver. The calendars room (connect/disconnect), the jobs (renewal) and admin
 * (user removal, factory reset) import it for WebhookService; it fills their ports too.
 */
@Module({
  imports: [AlertsModule, GoogleModule, SettingsModule, SyncModule, MetricsModule],
  controllers: [WebhookController],
  providers: [
    WebhookService,
    { provide: CALENDAR_WEBHOOKS, useExisting: WebhookService },
    { provide: JOBS_WEBHOOKS, useExisting: WebhookService },
  ],
  exports: [WebhookService, CALENDAR_WEBHOOKS, JOBS_WEBHOOKS],
})
export class WebhooksModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) acceptEmptyNotificationBodies(fastify);
  }
}
