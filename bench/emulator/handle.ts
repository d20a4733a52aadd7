import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { startFakeGoogle } from '../../test/fake-google';
import { RemoteControl } from './remote-control';

export interface ProcessUsage {
  cpu: NodeJS.CpuUsage;
  rss: number;
}

/** An emulator and how to reach it; `usage` is null when it shares this process (tests). */
export interface EmulatorHandle {
  url: string;
  control: RemoteControl;
  usage(): Promise<ProcessUsage | null>;
  close(): Promise<void>;
}

/** In this process: what the short test versions use (jest cannot fork the compiled child). */
export async function startInProcessEmulator(): Promise<EmulatorHandle> {
  const fake = await startFakeGoogle();
  return { url: fake.url, control: new RemoteControl(fake.url), usage: async () => null, close: () => fake.close() };
}

/** In a child process (the compiled `child.js` beside this file): the product's figures stay its own. */
export async function startChildEmulator(): Promise<EmulatorHandle> {
  const child = fork(path.join(__dirname, 'child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
    child.on('message', (m: { type: string; url?: string }) => m.type === 'ready' && resolve(m.url as string));
  });
  child.removeAllListeners('exit');
  return { url, control: new RemoteControl(url), usage: () => askUsage(child), close: () => closeChild(child) };
}

function askUsage(child: ChildProcess): Promise<ProcessUsage> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & ProcessUsage) => {
      if (m.type !== 'usage') return;
      child.off('message', onMessage);
      resolve({ cpu: m.cpu, rss: m.rss });
    };
    child.on('message', onMessage);
    child.send({ type: 'usage' });
  });
}

function closeChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.send({ type: 'close' });
  });
}
