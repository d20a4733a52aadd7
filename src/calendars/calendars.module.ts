import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { SessionsModule } from '../auth/sessions.module';
import { GoogleModule } from '../google/google.module';
import { SettingsModule } from '../settings/settings.module';
import { UiModule } from '../ui/ui.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { SyncModule } from '../sync/sync.module';
import { AccountsController } from './accounts.controller';
import { CalendarsReadModel } from './calendars.read-model';
import { CalendarsService } from './calendars.service';
import { ConnectFlowService } from './connect-flow.service';
import { ConnectController } from './connect.controller';
import { ConnectPagesController } from './connect-pages.controller';
import { ConnectPagesService } from './connect-pages.service';
import { ClientCalendarsController, PersonalCalendarsController } from './connected-calendars.controller';
import { ConnectionsService } from './connections.service';
import { MeController } from './me.controller';
import { SyncBridge } from './sync-ports';
import { ClientPolicyController, ClientPolicyDefaultsController } from './policy/client-policy.controller';
import { ClientPolicyService } from './policy/client-policy.service';
import { PreviewPageController } from './policy/preview-page.controller';
import { PolicyDefaultsPageController } from './policy/policy-defaults-page.controller';
import { ConnectDryRunService } from './policy/dry-run.service';
import { UserCalendarsReader } from './policy/user-calendars';
import { SyncStatusController } from './sync-status.controller';
import { SyncStatusService } from './sync-status.service';
import { TokenRevocationListener } from './token-revocation.listener';

/** Main-calendar choice, client and personal connections, disconnect. */
@Module({
  // SyncModule and WebhooksModule fill the CALENDAR_SYNC and CALENDAR_WEBHOOKS ports (see sync-ports.ts).
  imports: [AlertsModule, SessionsModule, GoogleModule, SettingsModule, UiModule, SyncModule, WebhooksModule],
  controllers: [
    MeController,
    AccountsController,
    ClientCalendarsController,
    PersonalCalendarsController,
    ConnectController,
    ConnectPagesController,
    SyncStatusController,
    ClientPolicyController,
    ClientPolicyDefaultsController,
    PreviewPageController,
    PolicyDefaultsPageController,
  ],
  providers: [
    CalendarsReadModel,
    CalendarsService,
    ConnectionsService,
    ConnectFlowService,
    ConnectPagesService,
    SyncBridge,
    TokenRevocationListener,
    SyncStatusService,
    ClientPolicyService,
    ConnectDryRunService,
    UserCalendarsReader,
  ],
  exports: [CalendarsService, ConnectionsService, CalendarsReadModel, ClientPolicyService],
})
export class CalendarsModule {}
