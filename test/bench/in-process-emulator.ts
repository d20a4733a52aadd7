import { EmulatorHandle, startInProcessEmulator } from '../../bench/emulator/handle';

/** One in-process emulator for a bench suite: started before its tests, closed after; read it inside tests. */
export function useInProcessEmulator(): () => EmulatorHandle {
  let emu: EmulatorHandle | undefined;
  beforeAll(async () => {
    emu = await startInProcessEmulator();
  }, 60_000);
  afterAll(async () => {
    await emu?.close();
  }, 180_000);
  return () => {
    if (!emu) throw new Error('the emulator has not started');
    return emu;
  };
}
