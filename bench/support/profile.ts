import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * With BENCH_CPU_PROF=<file> set, a V8 CPU profile of just the measured work (not the seeding) is
 * written there; open it in Chrome DevTools or speedscope. Otherwise a no-op.
 */
export async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_CPU_PROF;
  if (!file) return work();
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
