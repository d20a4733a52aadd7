import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CsrfController } from './csrf.controller';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';
import { OAuthStateStore } from './oauth-state.store';
import { AdminGuard, SessionGuard } from './session.guard';
import { SessionService } from './session.service';

/**
 * Sessions, their guards, CSRF and the OAuth `state` store: the low-level half of auth that every room with
 * a signed-in route imports. The sign-in flow (AuthModule) builds on it, so rooms the sign-in needs (the
 * calendars room, the wizard's store) can guard their routes without importing the sign-in.
 */
@Module({
  controllers: [CsrfController],
  providers: [
    SessionService,
    CsrfService,
    SessionGuard,
    AdminGuard,
    { provide: APP_GUARD, useClass: CsrfGuard },
    OAuthStateStore,
  ],
  exports: [SessionService, CsrfService, SessionGuard, AdminGuard, OAuthStateStore],
})
export class SessionsModule {}
