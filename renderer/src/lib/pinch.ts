/** Fingers must spread (or close) by this factor for one zoom level: a deliberate pinch, not a wobble. */
const STEP = 1.25;

/**
 * A two-finger pinch on a touch screen, from pointer events (a trackpad pinch arrives as Ctrl + wheel
 * instead). Each time the fingers are STEP times farther apart than at the last step, `move` answers
 * +1 (bigger photos); STEP times closer, −1. Only touch pointers are tracked.
 */
export class PinchTracker {
  private readonly points = new Map<number, { x: number; y: number }>();
  private base: number | null = null;

  /** True while two or more fingers are down: the gesture is a pinch, not a tap or a drag. */
  get active(): boolean {
    return this.points.size >= 2;
  }

  down(event: Pick<PointerEvent, 'pointerId' | 'pointerType' | 'clientX' | 'clientY'>): void {
    if (event.pointerType !== 'touch') return;
    this.points.set(event.pointerId, { x: event.clientX, y: event.clientY });
    this.base = this.points.size === 2 ? this.spread() : null;
  }

  move(event: Pick<PointerEvent, 'pointerId' | 'clientX' | 'clientY'>): 1 | -1 | 0 {
    if (!this.points.has(event.pointerId)) return 0;
    this.points.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (this.points.size !== 2 || !this.base) return 0;
    const spread = this.spread();
    if (spread >= this.base * STEP) {
      this.base = spread;
      return 1;
    }
    if (spread <= this.base / STEP) {
      this.base = spread;
      return -1;
    }
    return 0;
  }

  up(event: Pick<PointerEvent, 'pointerId'>): void {
    this.points.delete(event.pointerId);
    this.base = this.points.size === 2 ? this.spread() : null;
  }

  private spread(): number {
    const [a, b] = [...this.points.values()];
    return Math.hypot(a!.x - b!.x, a!.y - b!.y);
  }
}
