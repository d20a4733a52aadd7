import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { DatabaseService } from '../database.service';
import { ClientCalendar, WebhookChannel } from '../entities';

export interface NewChannel {
  userId: number;
  calendarType: string;
  clientCalendarId: number;
  channelId: string;
  tokenHash: string;
  /** Provisional until Google answers the watch. */
  expiration: Date;
}

@Injectable()
export class WebhookChannelRepository {
  constructor(private readonly db: DatabaseService) {}

  findByChannelId(channelId: string): Promise<WebhookChannel | null> {
    return this.db.reader.getRepository(WebhookChannel).findOneBy({ channelId });
  }

  async insert(channel: NewChannel): Promise<WebhookChannel> {
    return this.db.write((m) => m.getRepository(WebhookChannel).save({ ...channel, resourceId: '' }));
  }

  confirm(id: number, resourceId: string, expiration: Date): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(WebhookChannel).update(id, { resourceId, expiration });
    });
  }

  remove(id: number): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(WebhookChannel).delete(id);
    });
  }

  listForCalendar(clientCalendarId: number): Promise<WebhookChannel[]> {
    return this.db.reader.getRepository(WebhookChannel).find({ where: { clientCalendarId }, order: { id: 'ASC' } });
  }

  listForUser(userId: number): Promise<WebhookChannel[]> {
    return this.db.reader.getRepository(WebhookChannel).find({ where: { userId }, order: { id: 'ASC' } });
  }

  listAll(): Promise<WebhookChannel[]> {
    return this.db.reader.getRepository(WebhookChannel).find({ order: { id: 'ASC' } });
  }

  listExpiringBefore(before: Date): Promise<WebhookChannel[]> {
    return this.db.reader
      .getRepository(WebhookChannel)
      .find({ where: { expiration: LessThan(before) }, order: { id: 'ASC' } });
  }

  /** Active calendars with no channel that outlives `validAfter`: never registered, or registration failed. */
  async activeCalendarsWithoutChannel(validAfter: Date): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db.reader
      .getRepository(ClientCalendar)
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .where('c.is_active = 1')
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM webhook_channels w WHERE w.client_calendar_id = c.id AND w.expiration > :validAfter)',
        { validAfter },
      )
      .orderBy('c.id', 'ASC')
      .getRawMany();
    return rows.map((r) => Number(r.id));
  }

  /** Channels still open for calendars that were disconnected. */
  listForInactiveCalendars(): Promise<WebhookChannel[]> {
    return this.db.reader
      .getRepository(WebhookChannel)
      .createQueryBuilder('w')
      .innerJoin(ClientCalendar, 'c', 'c.id = w.client_calendar_id')
      .where('c.is_active = 0')
      .orderBy('w.id', 'ASC')
      .getMany();
  }
}
