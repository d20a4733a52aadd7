import { EncryptionService } from '../../../src/crypto/encryption.service';
import { generateKey, writeKeyFileAtomically } from '../../../src/crypto/key-file';
import { DatabaseService } from '../../../src/database/database.service';
import { Organization } from '../../../src/database/entities';
import { MARKER_KEY } from '../../../src/sync/rules/eligibility';
import { FakeGoogle, SeedData } from '../../fake-google';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../support/calendar-session';
import { RunningProduct } from '../../support/product';

export const HOME = 'home.example';

/** Two consultants; Ann has two client organisations and a personal Gmail, Ben one client. */
export const DRILL_WORLD: SeedData = {
  domains: [HOME, 'acme.example', 'globex.example', 'initech.example'],
  clients: [{ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET }],
  accounts: [
    { email: 'ann@home.example', name: 'Ann Consultant' },
    { email: 'ben@home.example', name: 'Ben Consultant' },
    { email: 'ann@acme.example' },
    { email: 'ann@globex.example' },
    { email: 'ann.personal@gmail.example', hd: null },
    { email: 'ben@initech.example' },
  ],
};

/**
 * What the wizard's last step leaves behind: the key file written atomically, the organization with sealed
 * OAuth credentials, the key in use. Written here because the wizard had not landed when this drill was;
 * the key file on disk is what a restore depends on, so it is written for real.
 */
export async function setUpLikeTheWizard(product: RunningProduct): Promise<void> {
  const key = generateKey();
  await writeKeyFileAtomically(product.config.encryptionKeyFile, key);
  const encryption = product.app.get(EncryptionService);
  encryption.useKey(key);
  await product.app.get(DatabaseService).write(async (m) => {
    await m.getRepository(Organization).insert({
      googleWorkspaceDomain: HOME,
      googleClientIdEncrypted: encryption.encrypt(TEST_CLIENT_ID),
      googleClientSecretEncrypted: encryption.encrypt(TEST_CLIENT_SECRET),
    });
  });
}

/** Live (not cancelled) events BusyBridge wrote on a calendar, by summary. */
export function managedSummaries(fake: FakeGoogle, calendarId: string): string[] {
  return fake.control.calendarState(calendarId)
    .filter((e) => e.data.status !== 'cancelled' && e.data.extendedProperties?.private?.[MARKER_KEY] !== undefined)
    .map((e) => e.data.summary ?? '')
    .sort();
}

export function tomorrowAt(hour: number, plusDays = 1): { dateTime: string } {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + plusDays);
  d.setUTCHours(hour, 0, 0, 0);
  return { dateTime: d.toISOString() };
}
