import { FakeGoogleControl } from './control/control';
import { Emulator } from './emulator';
import { KeyRing } from '../fake-shared/keys';
import { buildServer } from './server';

export { FakeGoogleControl } from './control/control';
export type { PersonAction, RawEvent } from './control/control';
export type { AccountSeed, CalendarSeed, ClientSeed, EventSeed, SeedData } from './control/seed-types';
export type { FaultSpec } from '../fake-shared/faults';
export type { CallFilter, CallRecord } from '../fake-shared/call-log';
export type { Channel, Delivery } from './push/notifier';
export type { EmulatorOptions, Role, WriteLimit } from './model';
export { DEMO_CLIENT } from './seed/demo';

export interface FakeGoogle {
  /** Base URL, used as GOOGLE_BASE_URL (no trailing slash). */
  url: string;
  control: FakeGoogleControl;
  close(): Promise<void>;
}

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Default 'none': tests seed exactly what they need. */
  seed?: 'demo' | 'none';
  /** Base URL to advertise (resourceUri, htmlLink, chooser links) when it differs from the listen address. */
  publicUrl?: string;
}

export async function startFakeGoogle(opts: StartOptions = {}): Promise<FakeGoogle> {
  const emu = new Emulator(await KeyRing.create());
  const control = new FakeGoogleControl(emu);
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
      emu.notifier.close();
      await app.close();
    },
  };
}
