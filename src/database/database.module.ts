import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseService } from './database.service';
import { OAuthTokenRepository } from './repositories/oauth-token.repository';
import { AlertQueueRepository } from './repositories/alert-queue.repository';
import { ClientCalendarRepository } from './repositories/client-calendar.repository';
import { JobLockRepository } from './repositories/job-lock.repository';
import { RetentionRepository } from './repositories/retention.repository';
import { WebhookChannelRepository } from './repositories/webhook-channel.repository';
import { OrganizationRepository } from './repositories/organization.repository';
import { SettingsRepository } from './repositories/settings.repository';
import { SyncLogRepository } from './repositories/sync-log.repository';
import { UserRepository } from './repositories/user.repository';
import { BusyBlockRepository } from './repositories/busy-block.repository';
import { CalendarSyncStateRepository } from './repositories/calendar-sync-state.repository';
import { EventMappingRepository } from './repositories/event-mapping.repository';
import { SyncCalendarsRepository } from './repositories/sync-calendars.repository';
import { FactoryResetRepository } from './repositories/factory-reset.repository';

const REPOSITORIES = [
  AlertQueueRepository,
  ClientCalendarRepository,
  JobLockRepository,
  RetentionRepository,
  WebhookChannelRepository,
  OAuthTokenRepository,
  OrganizationRepository,
  SettingsRepository,
  UserRepository,
  SyncLogRepository,
  EventMappingRepository,
  BusyBlockRepository,
  CalendarSyncStateRepository,
  SyncCalendarsRepository,
  FactoryResetRepository,
];

/** The opened DataSource is handed in from main.ts (or a test) so migrations finish before Nest boots. */
@Global()
@Module({})
export class DatabaseModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DataSource, useValue: dataSource }, DatabaseService, ...REPOSITORIES],
      exports: [DataSource, DatabaseService, ...REPOSITORIES],
    };
  }
}
