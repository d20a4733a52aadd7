import { KeyRing } from '../fake-shared/keys';
import { FakeMicrosoftControl } from './control/control';
import { Emulator } from './emulator';
import { buildServer } from './server';

export { FakeMicrosoftControl } from './control/control';
export type { AppSeed, CalendarShareSeed, EventSeed, SeedData, TenantSeed, UserSeed } from './control/seed-types';
export type { FaultSpec } from '../fake-shared/faults';
export type { CallFilter, CallRecord } from '../fake-shared/call-log';
export type { Delivery } from './subscriptions/deliverer';
export type { EmulatorOptions, MailRecord, User } from './model';
export { PERSONAL_TENANT_ID } from './model';
export { DEMO_MICROSOFT_APP, DEMO_TENANT } from './seed/demo';

export interface FakeMicrosoft {
  /** Base URL, used as MICROSOFT_BASE_URL (no trailing slash): /{tenant}/oauth2/v2.0/…, /v1.0/… */
  url: string;
  control: FakeMicrosoftControl;
  close(): Promise<void>;
}

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Default 'none': tests seed exactly what they need. */
  seed?: 'demo' | 'none';
  /** Base URL to advertise (links, issuer) when it differs from the listen address. */
  publicUrl?: string;
}

export async function startFakeMicrosoft(opts: StartOptions = {}): Promise<FakeMicrosoft> {
  const emu = new Emulator(await KeyRing.create());
  const control = new FakeMicrosoftControl(emu);
  const { app, sleeper } = buildServer(emu, control);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  emu.publicUrl = (opts.publicUrl ?? url).replace(/\/$/, '');
  control.reset({ seed: opts.seed ?? 'none' });
  return {
    url: emu.publicUrl,
    control,
    close: async () => {
      sleeper.wakeAll();
      emu.subscriptions.deliverer.close();
      await app.close();
    },
  };
}
