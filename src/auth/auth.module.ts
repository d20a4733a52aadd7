import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CsrfController } from './csrf.controller';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';
import { AdminGuard, SessionGuard } from './session.guard';
import { SessionService } from './session.service';

/** Sessions, guards and CSRF. Sign-in flows (login, callback, logout) live here too. */
@Global()
@Module({
  controllers: [CsrfController],
  providers: [SessionService, CsrfService, SessionGuard, AdminGuard, { provide: APP_GUARD, useClass: CsrfGuard }],
  exports: [SessionService, CsrfService, SessionGuard, AdminGuard],
})
export class AuthModule {}
