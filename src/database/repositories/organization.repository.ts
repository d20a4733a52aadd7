import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database.service';
import { Organization } from '../entities';

@Injectable()
export class OrganizationRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The single home organization, or null before the wizard completes. */
  find(): Promise<Organization | null> {
    return this.db.reader.getRepository(Organization).findOne({ where: {}, order: { id: 'ASC' } });
  }

  /** Just the sealed OAuth client credentials of the organization (every sync reads them: one plain statement). */
  async findSealedCredentials(): Promise<{ clientId: Buffer; clientSecret: Buffer } | null> {
    const rows: Array<{ clientId: Buffer; clientSecret: Buffer }> = await this.db.reader.query(
      'SELECT google_client_id_encrypted AS clientId, google_client_secret_encrypted AS clientSecret FROM organization ORDER BY id LIMIT 1',
    );
    return rows[0] ?? null;
  }

  async exists(): Promise<boolean> {
    return (await this.db.reader.getRepository(Organization).count()) > 0;
  }

  /** The wizard's last step creates the organization inside its one transaction. */
  insert(
    values: Pick<Organization, 'googleWorkspaceDomain' | 'googleClientIdEncrypted' | 'googleClientSecretEncrypted'>,
    manager: EntityManager,
  ): Promise<Organization> {
    const repo = manager.getRepository(Organization);
    return repo.save(repo.create({ ...values, googleWorkspaceDomain: values.googleWorkspaceDomain.toLowerCase() }));
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
