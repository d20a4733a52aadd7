import { Injectable } from '@nestjs/common';

/** What `npm run demo` tells a newcomer on the pages themselves (the emulator's demo OAuth client and accounts). */
export interface DemoInfo {
  clientId: string;
  clientSecret: string;
  signInAs: string;
  clientAccounts: string[];
  personalAccount: string;
  /** The emulator's page listing every demo calendar and its events. */
  emulatorPage: string;
  /** The wizard's setup token, filled in on the welcome page. */
  setupToken?: string;
}

/**
 * Off unless the demo script switches it on: a real deployment never shows credentials. Kept in memory,
 * set by scripts/demo.ts after it started the emulator, read by the wizard's step 2 and the dashboard.
 */
@Injectable()
export class DemoHint {
  private info: DemoInfo | null = null;

  enable(info: DemoInfo): void {
    this.info = info;
  }

  get(): DemoInfo | null {
    return this.info;
  }
}
