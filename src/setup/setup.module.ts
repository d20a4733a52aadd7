import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { AlertsModule } from '../alerts/alerts.module';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../auth/sessions.module';
import { GoogleModule } from '../google/google.module';
import { SettingsModule } from '../settings/settings.module';
import { UiModule } from '../ui/ui.module';
import { WizardStateModule } from './wizard-state.module';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { matchedRoute } from '../http/matched-route';
import { SetupPages } from './setup-pages';
import { SetupController, SetupErrorFilter, SetupOpenGuard } from './setup.controller';
import { SetupService } from './setup.service';
import { SetupTokenService } from './setup-token.service';
import { WizardStepsService } from './wizard-steps.service';

/**
 * The OOBE wizard. Its state lives in WizardStateModule, which the sign-in reads at step 3; the admin room
 * imports this module for SetupService.factoryReset().
 */
@Module({
  imports: [AlertsModule, SessionsModule, AuthModule, GoogleModule, SettingsModule, UiModule, WizardStateModule],
  controllers: [SetupController],
  providers: [WizardStepsService, SetupService, SetupTokenService, SetupPages, SetupErrorFilter, SetupOpenGuard],
  exports: [SetupService],
})
export class SetupModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly organizations: OrganizationRepository,
  ) {}

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
