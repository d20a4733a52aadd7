import { Controller, Get, Inject, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { DatabaseService } from '../database/database.service';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { APP_VERSION } from '../version';
import { readiness } from './readiness';

@Controller()
export class HealthController {
  constructor(
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(OrganizationRepository) private readonly organizations: OrganizationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  private readonly startedAt = Date.now();

  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const ok = await this.db.isHealthy();
    reply
      .code(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'error', database: ok ? 'ok' : 'error', version: APP_VERSION });
  }

  /** Readiness (orchestrators stop routing to a stuck instance); /health stays liveness. */
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const state = readiness({
      databaseOk: await this.db.isHealthy(),
      jobsEnabled: this.config.jobsEnabled,
      pollSeconds: this.config.syncPollSeconds,
      lastPollCycleAt: this.metrics.lastPollCycle,
      startedAt: this.startedAt,
      now: Date.now(),
    });
    reply
      .code(state.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(state.ready ? { status: 'ready' } : { status: 'not_ready', reason: state.reason });
  }

  /** First visit goes to the wizard until an organization exists. */
  @Get()
  async root(@Res() reply: FastifyReply): Promise<void> {
    const configured = await this.organizations.exists().catch(() => false);
    reply.redirect(configured ? '/app' : '/setup', 302);
  }
}
