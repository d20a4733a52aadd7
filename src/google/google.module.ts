import { Module } from '@nestjs/common';
import { GoogleAccountsService } from './google-accounts.service';
import { GoogleOAuthService } from './google-oauth.service';

/** The only room that talks to Google. */
@Module({ providers: [GoogleOAuthService, GoogleAccountsService], exports: [GoogleOAuthService, GoogleAccountsService] })
export class GoogleModule {}
