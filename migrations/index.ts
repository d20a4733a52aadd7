import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { MappingDismissed1764600000000 } from './1764600000000-mapping-dismissed';
import { ClientPolicy1764800000000 } from './1764800000000-client-policy';
import { CopyState1765000000000 } from './1765000000000-copy-state';

/** Every migration, in order. A new migration is added here as well as in its own file. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  MappingDismissed1764600000000,
  ClientPolicy1764800000000,
  CopyState1765000000000,
];
