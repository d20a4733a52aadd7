import { FakeGoogleControl } from './control/control';
import { Emulator } from './emulator';
import { KeyRing } from '../fake-shared/keys';
import { buildServer } from './server';
import { listen, RunningEmulator, StartOptions } from '../fake-shared/server-kit';

export { FakeGoogleControl } from './control/control';
export type { PersonAction, RawEvent } from './control/control';
export type { AccountSeed, CalendarSeed, ClientSeed, EventSeed, SeedData } from './control/seed-types';
export type { FaultSpec } from '../fake-shared/faults';
export type { CallFilter, CallRecord } from '../fake-shared/call-log';
export type { Channel, Delivery } from './push/notifier';
export type { EmulatorOptions, Role, WriteLimit } from './model';
export { DEMO_CLIENT } from './seed/demo';

/** `url` is GOOGLE_BASE_URL. */
export type FakeGoogle = RunningEmulator<FakeGoogleControl>;
export type { StartOptions };

export async function startFakeGoogle(opts: StartOptions = {}): Promise<FakeGoogle> {
  const emu = new Emulator(await KeyRing.create());
  const control = new FakeGoogleControl(emu);
  const { app, sleeper } = buildServer(emu, control);
  emu.publicUrl = await listen(app, opts);
  control.reset({ seed: opts.seed ?? 'none' });
  return {
    url: emu.publicUrl,
    control,
    close: async () => {
      sleeper.wakeAll();
      emu.notifier.close();
      await app.close();
    },
  };
}
