import { SeededRandom } from './random';

export interface FaultSpec {
  /** HTTP method to match (GET, POST, ...). */
  method?: string;
  /** Operation kind to match, e.g. `events.insert`. */
  kind?: string;
  /** Path match: `/.../flags` is a regular expression, anything else a substring. */
  path?: string;
  /** Status to answer; omit to only delay the call. */
  status?: number;
  reason?: string;
  retryAfter?: number;
  delayMs?: number;
  /** Hold the request for delayMs (default 30 s), then destroy the socket without answering. */
  timeout?: boolean;
  /** How many matching calls it hits; default unlimited. */
  times?: number;
  /** Probability (0..1) a matching call is hit; default 1. */
  share?: number;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  hits: number;
}

function pathMatcher(path: string): (p: string) => boolean {
  const m = /^\/(.+)\/([a-z]*)$/.exec(path);
  if (m) {
    const re = new RegExp(m[1], m[2]);
    return (p) => re.test(p);
  }
  return (p) => p.includes(path);
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  /** Added to every API call (not control or pages). */
  latencyMs = 0;

  constructor(private readonly random: SeededRandom) {}

  add(spec: FaultSpec): string {
    const id = `fault-${this.nextId++}`;
    this.faults.push({ ...spec, id, hits: 0 });
    return id;
  }

  remove(id: string): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clear(): void {
    this.faults = [];
    this.latencyMs = 0;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The fault that fires for this call, if any; consumes one of its `times`. */
  match(method: string, path: string, kind: string | undefined): ActiveFault | undefined {
    for (const f of this.faults) {
      if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue;
      if (f.kind && f.kind !== kind) continue;
      if (f.path && !pathMatcher(f.path)(path)) continue;
      if (f.times !== undefined && f.hits >= f.times) continue;
      if (f.share !== undefined && this.random.next() >= f.share) continue;
      f.hits++;
      return f;
    }
    return undefined;
  }
}
