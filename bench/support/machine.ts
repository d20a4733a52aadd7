import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memory: string;
  node: string;
  load: string;
}

function uptimeLine(): string {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
  }
}

/** What the figures were measured on; the load shows whether other work shared the machine. */
export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux: os.cpus() is good enough
  }
  let memory = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  try {
    memory = execSync('free -h', { encoding: 'utf8' }).split('\n')[1].replace(/\s+/g, ' ').trim();
  } catch {
    // no procps
  }
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel,
    memory,
    node: process.version,
    load: uptimeLine(),
  };
}

export function loadNow(): string {
  return uptimeLine();
}
