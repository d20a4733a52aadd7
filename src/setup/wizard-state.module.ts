import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { WizardStore } from './wizard.store';

/**
 * The wizard's in-memory state on its own: the sign-in (AuthModule) reads it at step 3 while the wizard
 * (SetupModule) builds on the sign-in, so the state sits below both.
 */
@Module({
  imports: [SessionsModule],
  providers: [WizardStore],
  exports: [WizardStore],
})
export class WizardStateModule {}
