import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { AlertsModule } from '../alerts/alerts.module';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { matchedRoute } from '../http/matched-route';
import { SetupPages } from './setup-pages';
import { SetupController, SetupErrorFilter, SetupOpenGuard } from './setup.controller';
import { SetupService } from './setup.service';
import { SetupTokenService } from './setup-token.service';
import { WizardStepsService } from './wizard-steps.service';
import { WizardStore } from './wizard.store';

/**
 * The OOBE wizard. Global because the sign-in (auth room) reads the wizard's credentials at step 3 and
 * the admin room calls SetupService.factoryReset().
 */
@Global()
@Module({
  imports: [AlertsModule],
  controllers: [SetupController],
  providers: [WizardStore, WizardStepsService, SetupService, SetupTokenService, SetupPages, SetupErrorFilter, SetupOpenGuard],
  exports: [WizardStore, SetupService],
})
export class SetupModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost, private readonly organizations: OrganizationRepository) {}

  /** Once an organization exists every /setup route is 404, before CSRF or validation can answer otherwise. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance() as FastifyInstance;
    fastify.addHook('onRequest', async (request, reply) => {
      const route = matchedRoute(request);
      if (route === null || (route !== '/setup' && !route.startsWith('/setup/'))) return;
      if (await this.organizations.exists()) {
        await reply.code(404).type('application/json; charset=utf-8').send({ error: 'Not found' });
      }
    });
  }
}
