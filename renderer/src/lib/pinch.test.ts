import { describe, expect, it } from 'vitest';
import { PinchTracker } from './pinch';

const touch = (pointerId: number, clientX: number, clientY = 100) => ({ pointerId, pointerType: 'touch', clientX, clientY });

describe('PinchTracker', () => {
  it('steps once per 1.25× spread of two fingers, in and out, and ignores a mouse and a single finger', () => {
    const pinch = new PinchTracker();
    pinch.down({ ...touch(9, 0), pointerType: 'mouse' });
    pinch.down(touch(1, 100));
    expect(pinch.active).toBe(false);
    expect(pinch.move(touch(1, 300))).toBe(0); // one finger scrolls
    pinch.down(touch(2, 400)); // 100 px apart
    expect(pinch.active).toBe(true);
    expect(pinch.move(touch(2, 420))).toBe(0); // 1.2×: not yet
    expect(pinch.move(touch(2, 430))).toBe(1); // 1.3×: one level bigger, from here
    expect(pinch.move(touch(2, 460))).toBe(0); // 160 / 130 < 1.25
    expect(pinch.move(touch(2, 400))).toBe(-1); // 100 / 130: closer by more than 1.25×
    expect(pinch.move(touch(9, 0))).toBe(0);
    pinch.up(touch(2, 400));
    expect(pinch.active).toBe(false);
    expect(pinch.move(touch(1, 600))).toBe(0);
  });
});
