import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuthController } from './auth.controller';
import { CsrfController } from './csrf.controller';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';
import { GoogleSignInGuard } from './google-sign-in.guard';
import { GoogleSignInStrategy } from './google-sign-in.strategy';
import { HomeAccountService } from './home-account.service';
import { OAuthStateStore } from './oauth-state.store';
import { AdminGuard, SessionGuard } from './session.guard';
import { SessionService } from './session.service';
import { SignInService } from './sign-in.service';

/** Sessions, guards and CSRF, and the home sign-in with Google (login, callback, logout). */
@Global()
@Module({
  imports: [PassportModule.register({ session: false })],
  controllers: [CsrfController, AuthController],
  providers: [
    SessionService, CsrfService, SessionGuard, AdminGuard, { provide: APP_GUARD, useClass: CsrfGuard },
    OAuthStateStore, SignInService, HomeAccountService, GoogleSignInStrategy, GoogleSignInGuard,
  ],
  exports: [SessionService, CsrfService, SessionGuard, AdminGuard, OAuthStateStore, HomeAccountService],
})
export class AuthModule {}
