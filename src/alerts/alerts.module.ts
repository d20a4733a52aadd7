import { MailerModule } from '@nestjs-modules/mailer';
import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { AlertQueueProcessor } from './alert-queue.processor';
import { AlertsService } from './alerts.service';
import { MailService } from './mail.service';

/**
 * Alerts and mail. The mailer starts with an inert JSON transport: real SMTP transporters are added at
 * run time from the settings table (see MailService), since SMTP can change without a restart.
 */
@Module({
  imports: [SettingsModule, MailerModule.forRoot({ transport: { jsonTransport: true } })],
  providers: [AlertsService, MailService, AlertQueueProcessor],
  exports: [AlertsService, MailService, AlertQueueProcessor],
})
export class AlertsModule {}
