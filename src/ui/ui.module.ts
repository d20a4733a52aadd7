import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { DemoHint } from './demo-hint';
import { LoginPageController } from './login-page.controller';
import { PageRenderer } from './page-renderer';

/** Rendering pages: PageRenderer for every room with pages, and DemoHint, which the wizard and dashboard show. */
@Module({
  imports: [SessionsModule],
  controllers: [LoginPageController],
  providers: [PageRenderer, DemoHint],
  exports: [PageRenderer, DemoHint],
})
export class UiModule {}
