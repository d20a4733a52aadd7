import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { GoogleAccountsService } from './google-accounts.service';
import { GoogleOAuthService } from './google-oauth.service';

/** The only room that talks to Google. */
@Module({
  imports: [MetricsModule],
  providers: [GoogleOAuthService, GoogleAccountsService],
  exports: [GoogleOAuthService, GoogleAccountsService],
})
export class GoogleModule {}
