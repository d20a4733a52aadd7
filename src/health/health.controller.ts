import { Controller, Get, Inject, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { DatabaseService } from '../database/database.service';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { APP_VERSION } from '../version';

@Controller()
export class HealthController {
  constructor(
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(OrganizationRepository) private readonly organizations: OrganizationRepository,
  ) {}

  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const ok = await this.db.isHealthy();
    reply
      .code(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'error', database: ok ? 'ok' : 'error', version: APP_VERSION });
  }

  /** First visit goes to the wizard until an organization exists. */
  @Get()
  async root(@Res() reply: FastifyReply): Promise<void> {
    const configured = await this.organizations.exists().catch(() => false);
    reply.redirect(configured ? '/app' : '/setup', 302);
  }
}
