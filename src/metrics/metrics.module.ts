import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { SettingsModule } from '../settings/settings.module';
import { SettingsService } from '../settings/settings.service';
import { DatabaseGauges } from './database-gauges';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Puts the database-backed gauges into the one registry once the app is wired. */
@Injectable()
class DatabaseGaugesRegistration implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly settings: SettingsService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    new DatabaseGauges(this.db, this.settings, this.config.databasePath).register(this.metrics.registry);
  }
}

/**
 * Operators' view: GET /metrics and the MetricsService the Google client, sync engine, webhook receiver
 * and scheduler report to. Imported by those rooms (not global: only they observe anything).
 */
@Module({
  imports: [SettingsModule],
  controllers: [MetricsController],
  providers: [MetricsService, DatabaseGaugesRegistration],
  exports: [MetricsService],
})
export class MetricsModule {}
