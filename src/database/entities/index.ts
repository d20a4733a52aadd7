import { AlertQueueItem } from './alert-queue.entity';
import { BusyBlock } from './busy-block.entity';
import { CalendarSyncState } from './calendar-sync-state.entity';
import { ClientCalendar } from './client-calendar.entity';
import { EventMapping } from './event-mapping.entity';
import { JobLock } from './job-lock.entity';
import { OAuthToken } from './oauth-token.entity';
import { Organization } from './organization.entity';
import { Setting } from './setting.entity';
import { SyncLog } from './sync-log.entity';
import { User } from './user.entity';
import { WebhookChannel } from './webhook-channel.entity';

export * from './alert-queue.entity';
export * from './busy-block.entity';
export * from './calendar-sync-state.entity';
export * from './client-calendar.entity';
export * from './event-mapping.entity';
export * from './job-lock.entity';
export * from './oauth-token.entity';
export * from './organization.entity';
export * from './setting.entity';
export * from './sync-log.entity';
export * from './user.entity';
export * from './webhook-channel.entity';

export const ENTITIES = [
  Organization,
  Setting,
  User,
  OAuthToken,
  ClientCalendar,
  CalendarSyncState,
  EventMapping,
  BusyBlock,
  SyncLog,
  WebhookChannel,
  AlertQueueItem,
  JobLock,
];
