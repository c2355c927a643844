/** Grid cell sizes from "the whole year at a glance" to "large": Ctrl/⌘ +/− and pinch step through them. */
const LEVELS = [64, 96, 132, 176, 236, 320] as const;
const KEY = 'facet.gridZoom';
const DEFAULT = 3;

/** The library grid's zoom, kept across restarts. */
class Zoom {
  level = $state(DEFAULT);

  constructor() {
    const stored = globalThis.localStorage?.getItem(KEY);
    const saved = stored ? Number(stored) : NaN;
    if (Number.isInteger(saved) && saved >= 0 && saved < LEVELS.length) this.level = saved;
  }

  get cell(): number {
    return LEVELS[this.level]!;
  }

  get canZoomIn(): boolean {
    return this.level < LEVELS.length - 1;
  }

  get canZoomOut(): boolean {
    return this.level > 0;
  }

  /** +1 bigger photos, −1 smaller (more of them). */
  step(delta: 1 | -1): void {
    this.level = Math.max(0, Math.min(LEVELS.length - 1, this.level + delta));
    globalThis.localStorage?.setItem(KEY, String(this.level));
  }
}

export const zoom = new Zoom();
