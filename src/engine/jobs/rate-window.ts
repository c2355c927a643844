/**
 * Rate over a sliding window of recent completions, so a slow first item (model warm-up) does not
 * distort the estimate for the rest.
 */
export class RateWindow {
  private readonly stamps: number[] = [];

  constructor(
    private readonly size = 50,
    private readonly now: () => number = () => performance.now(),
  ) {}

  tick(): void {
    this.stamps.push(this.now());
    if (this.stamps.length > this.size) this.stamps.shift();
  }

  /** Items per second, or null before two completions. */
  get rate(): number | null {
    if (this.stamps.length < 2) return null;
    const span = (this.stamps[this.stamps.length - 1]! - this.stamps[0]!) / 1000;
    return span > 0 ? (this.stamps.length - 1) / span : null;
  }
}
