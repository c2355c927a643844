/** Milliseconds spent per pipeline stage, summed over photos (stages overlap across photos in flight). */
export class StageTimes {
  readonly totals: Record<string, number> = {};
  readonly counts: Record<string, number> = {};

  async time<T>(stage: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(stage, performance.now() - start);
    }
  }

  timeSync<T>(stage: string, work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.add(stage, performance.now() - start);
    }
  }

  add(stage: string, ms: number): void {
    this.totals[stage] = (this.totals[stage] ?? 0) + ms;
    this.counts[stage] = (this.counts[stage] ?? 0) + 1;
  }

  /** Mean milliseconds per call of each stage. */
  means(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.totals).map(([stage, total]) => [stage, round(total / (this.counts[stage] ?? 1))]));
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
