/** Sleeps that close() can cut short, so a held-open fault never keeps the process alive. */
export class Sleeper {
  private pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.pending.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  wakeAll(): void {
    for (const done of [...this.pending]) done();
  }
}
