import { Global, Module } from '@nestjs/common';
import { LoginPageController } from './login-page.controller';
import { PageRenderer } from './page-renderer';

/** Page controllers; PageRenderer is shared by every room that renders pages. */
@Global()
@Module({
  controllers: [LoginPageController],
  providers: [PageRenderer],
  exports: [PageRenderer],
})
export class UiModule {}
