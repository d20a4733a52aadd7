import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { CalendarsModule } from '../calendars/calendars.module';
import { GoogleModule } from '../google/google.module';
import { WizardStateModule } from '../setup/wizard-state.module';
import { AuthController } from './auth.controller';
import { GoogleSignInGuard } from './google-sign-in.guard';
import { GoogleSignInStrategy } from './google-sign-in.strategy';
import { HomeAccountService } from './home-account.service';
import { SessionsModule } from './sessions.module';
import { SignInService } from './sign-in.service';

/**
 * The home sign-in with Google (login, callback, logout) and the account it creates. The wizard's admin
 * sign-in goes through it too, so it reads the wizard's state (WizardStateModule), not the wizard itself.
 */
@Module({
  imports: [
    PassportModule.register({ session: false }),
    SessionsModule,
    GoogleModule,
    CalendarsModule,
    WizardStateModule,
  ],
  controllers: [AuthController],
  providers: [SignInService, HomeAccountService, GoogleSignInStrategy, GoogleSignInGuard],
  exports: [HomeAccountService],
})
export class AuthModule {}
