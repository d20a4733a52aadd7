export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Probes until `ok` accepts the value (returned), or fails after `timeoutMs` showing the last value. */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() - started > timeoutMs)
      throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}
