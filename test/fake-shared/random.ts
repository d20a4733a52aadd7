/** Deterministic PRNG (mulberry32) so "a share of calls" is reproducible between runs. */
export class SeededRandom {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }
}
