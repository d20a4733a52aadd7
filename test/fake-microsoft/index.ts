import { KeyRing } from '../fake-shared/keys';
import { FakeMicrosoftControl } from './control/control';
import { Emulator } from './emulator';
import { buildServer } from './server';
import { listen, RunningEmulator, StartOptions } from '../fake-shared/server-kit';

export { FakeMicrosoftControl } from './control/control';
export type { AppSeed, CalendarShareSeed, EventSeed, SeedData, TenantSeed, UserSeed } from './control/seed-types';
export type { FaultSpec } from '../fake-shared/faults';
export type { CallFilter, CallRecord } from '../fake-shared/call-log';
export type { Delivery } from './subscriptions/deliverer';
export type { EmulatorOptions, MailRecord, User } from './model';
export { PERSONAL_TENANT_ID } from './model';
export { DEMO_MICROSOFT_APP, DEMO_TENANT } from './seed/demo';

/** `url` is MICROSOFT_BASE_URL: /{tenant}/oauth2/v2.0/…, /v1.0/… */
export type FakeMicrosoft = RunningEmulator<FakeMicrosoftControl>;
export type { StartOptions };

export async function startFakeMicrosoft(opts: StartOptions = {}): Promise<FakeMicrosoft> {
  const emu = new Emulator(await KeyRing.create('microsoft'));
  const control = new FakeMicrosoftControl(emu);
  const { app, sleeper } = buildServer(emu, control);
  emu.publicUrl = await listen(app, opts);
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
