import { IDLE_INDEX_PROGRESS, type IndexProgress } from '../../common/api/library';

/**
 * Rate and ETA over a sliding window of recent completions, so a slow first photo (model warm-up)
 * does not distort the estimate for the rest of the run.
 */
export class ProgressTracker {
  private readonly completions: number[] = [];
  private state: IndexProgress = { ...IDLE_INDEX_PROGRESS };

  constructor(
    private readonly onChange: (progress: IndexProgress) => void = () => {},
    private readonly now: () => number = () => performance.now(),
    private readonly window = 50,
  ) {}

  get snapshot(): IndexProgress {
    return { ...this.state };
  }

  start(phase: IndexProgress['phase'], total: number, upToDate = 0): void {
    this.completions.length = 0;
    this.state = { ...this.state, phase, total, upToDate, done: 0, failed: 0, photosPerSecond: 0, etaSeconds: null, current: null };
    this.emit();
  }

  setPhase(phase: IndexProgress['phase']): void {
    this.state.phase = phase;
    this.emit();
  }

  photoDone(path: string, failed: boolean): void {
    this.completions.push(this.now());
    if (this.completions.length > this.window) this.completions.shift();
    this.state.done += 1;
    if (failed) this.state.failed += 1;
    this.state.current = path;
    const first = this.completions[0]!;
    const span = (this.now() - first) / 1000;
    this.state.photosPerSecond = this.completions.length > 1 && span > 0 ? (this.completions.length - 1) / span : 0;
    const left = this.state.total - this.state.done;
    this.state.etaSeconds = this.state.photosPerSecond > 0 ? left / this.state.photosPerSecond : null;
    this.emit();
  }

  private emit(): void {
    this.onChange(this.snapshot);
  }
}
