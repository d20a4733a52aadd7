import { DynamicModule, Module, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CryptoModule } from './crypto/crypto.module';
import { DatabaseModule } from './database/database.module';
import { AuthModule } from './auth/auth.module';
import { SessionsModule } from './auth/sessions.module';
import { GoogleModule } from './google/google.module';
import { AlertsModule } from './alerts/alerts.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { SettingsModule } from './settings/settings.module';
import { SetupModule } from './setup/setup.module';
import { UiModule } from './ui/ui.module';
import { ThrottlingModule } from './http/throttling.module';
import { CalendarsModule } from './calendars/calendars.module';
import { SyncModule } from './sync/sync.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { AdminModule } from './admin/admin.module';
import { UserPagesModule } from './ui/user-pages.module';

/**
 * Feature modules (the rooms; see docs/architecture.md). Each imports what it uses; only config, database and
 * crypto are global. Add a room here, one line each.
 */
const FEATURE_MODULES: Array<Type<unknown> | DynamicModule> = [
  ThrottlingModule,
  UiModule,
  SetupModule,
  HealthModule,
  AlertsModule,
  JobsModule,
  CalendarsModule,
  SyncModule,
  WebhooksModule,
  AdminModule,
  UserPagesModule,
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forDataSource(dataSource),
        CryptoModule,
        // Ahead of the feature rooms, as the auth module was, so the global guards keep their order.
        SessionsModule,
        SettingsModule,
        GoogleModule,
        AuthModule,
        ...FEATURE_MODULES,
      ],
    };
  }
}
