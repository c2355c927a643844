/** Lets the app pause indexing between photos (never inside one, so no half-written photo exists). */
export class PauseGate {
  private waiting: (() => void)[] = [];
  private pausedFlag = false;

  get paused(): boolean {
    return this.pausedFlag;
  }

  pause(): void {
    this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
    for (const wake of this.waiting.splice(0)) wake();
  }

  async wait(): Promise<void> {
    while (this.pausedFlag) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}
