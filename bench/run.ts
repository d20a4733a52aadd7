import { fork } from 'node:child_process';
import { benchConnect, benchEconomy } from './economy';
import { EmulatorHandle, startChildEmulator } from './emulator/handle';
import { benchMemory } from './memory';
import { benchPropagation } from './propagation';
import { report } from './report';
import { summary } from './summary';
import { benchScale } from './scale';
import { loadNow, machine } from './support/machine';

/**
 * `npm run bench`: every benchmark against the Google emulator (in a child process), each section in a
 * fresh process so one's memory does not colour the next. Prints figures; asserts nothing about time.
 * `--quick` runs tiny sizes (a smoke run); `--only=scale,memory` picks sections.
 */
const QUICK = process.argv.includes('--quick');
/** `--users=N`: another size for the scale section (e.g. to profile or to find the ceiling). */
/** `--limits=5,10,20`: the emulator's per-calendar write limits the connect section runs under, one run each. */
const LIMITS = (process.argv.find((a) => a.startsWith('--limits='))?.split('=')[1] ?? '5,10,20')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const USERS = Number(process.argv.find((a) => a.startsWith('--users='))?.split('=')[1] ?? 0) || undefined;
/** `--large-users=N`: the size of the large scale run (2,000 consultants x 5 calendars by default). */
const LARGE_USERS = Number(process.argv.find((a) => a.startsWith('--large-users='))?.split('=')[1] ?? 0) || undefined;

const SECTIONS: Record<string, (emu: EmulatorHandle) => Promise<unknown>> = {
  propagation: (emu) =>
    benchPropagation(
      emu,
      QUICK
        ? {
            clientCounts: [1, 3],
            latencies: [0, 50],
            trials: 6,
            polling: [{ clients: 3, latencyMs: 50 }],
            pollSeconds: 3,
          }
        : {
            clientCounts: [1, 3, 5, 10],
            latencies: [0, 50],
            trials: 30,
            polling: [{ clients: 5, latencyMs: 50 }],
            pollSeconds: 3,
          },
    ),
  economy: (emu) => benchEconomy(emu, 4),
  connect: async (emu) => {
    const runs = [];
    for (const limit of LIMITS) runs.push(await benchConnect(emu, QUICK ? 100 : 2000, 3, limit));
    return runs;
  },
  scale: (emu) =>
    benchScale(
      emu,
      QUICK
        ? { users: USERS ?? 10, clientsPerUser: 4, latencies: [0], changedShare: 0.01, repeats: 1 }
        : { users: USERS ?? 200, clientsPerUser: 4, latencies: [0, 50], changedShare: 0.01, repeats: 3 },
    ),
  'scale-large': (emu) =>
    benchScale(
      emu,
      QUICK
        ? {
            users: LARGE_USERS ?? 30,
            clientsPerUser: 4,
            latencies: [0],
            changedShare: 0.01,
            repeats: 1,
            probe: { latencyMs: 50, trials: 5 },
          }
        : {
            users: LARGE_USERS ?? 2000,
            clientsPerUser: 4,
            latencies: [0],
            changedShare: 0.01,
            repeats: 1,
            seedEvents: false,
            probe: { latencyMs: 50, trials: 500 },
          },
    ),
  memory: (emu) =>
    benchMemory(
      emu,
      QUICK
        ? { users: 3, clientsPerUser: 4, hours: 4, ticksPerHour: 12, changesPerTick: 2 }
        : { users: 6, clientsPerUser: 4, hours: 24, ticksPerHour: 12, changesPerTick: 3 },
    ),
};

async function runSection(name: string): Promise<void> {
  const emu = await startChildEmulator();
  try {
    const result = await SECTIONS[name](emu);
    process.send?.({ type: 'result', name, result });
  } finally {
    await emu.close();
  }
}

function forkSection(name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const passOn = process.argv
      .slice(2)
      .filter(
        (a) =>
          a === '--quick' || a.startsWith('--users=') || a.startsWith('--large-users=') || a.startsWith('--limits='),
      );
    // The parent's flags (e.g. --max-old-space-size) apply to the section too.
    const child = fork(__filename, [`--section=${name}`, ...passOn], {
      execArgv: [...new Set(['--expose-gc', ...process.execArgv])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: unknown;
    child.on('message', (m: { type: string; result: unknown }) => m.type === 'result' && (result = m.result));
    child.on('exit', (code) =>
      code === 0 && result !== undefined ? resolve(result) : reject(new Error(`section ${name} exited with ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const section = process.argv.find((a) => a.startsWith('--section='))?.split('=')[1];
  if (section) return runSection(section);
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.split('=')[1]
    .split(',');
  const names = Object.keys(SECTIONS).filter((n) => !only || only.includes(n));
  const m = machine();
  console.log(`BusyBridge benchmarks${QUICK ? ' (quick)' : ''} — ${m.date}`);
  console.log(`Machine: ${m.cpus} CPUs, ${m.cpuModel}; memory ${m.memory}; Node ${m.node}`);
  console.log(`Load before: ${m.load}\n`);
  const results: Record<string, unknown> = {};
  for (const name of names) {
    const started = Date.now();
    results[name] = await forkSection(name);
    console.log(report(name, results[name]));
    console.log(
      `(${name}: ${Math.round((Date.now() - started) / 1000)} s; load ${loadNow().replace(/.*load average/, 'load average')})\n`,
    );
  }
  console.log(summary(results));
  console.log(`Load after: ${loadNow()}`);
  if (process.argv.includes('--json')) console.log(JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
