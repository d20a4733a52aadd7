import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database.service';
import { Organization } from '../entities';

@Injectable()
export class OrganizationRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The single home organization, or null before the wizard completes. */
  find(): Promise<Organization | null> {
    return this.db.reader.getRepository(Organization).findOne({ where: {}, order: { id: 'ASC' } });
  }

  async exists(): Promise<boolean> {
    return (await this.db.reader.getRepository(Organization).count()) > 0;
  }

  updateCredentials(id: number, clientId: Buffer, clientSecret: Buffer): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(Organization).update(id, {
        googleClientIdEncrypted: clientId,
        googleClientSecretEncrypted: clientSecret,
        updatedAt: new Date(),
      });
    });
  }
}
