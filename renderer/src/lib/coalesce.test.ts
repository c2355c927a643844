import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce';

describe('coalesce', () => {
  it('runs once now and once more for any number of calls made meanwhile', async () => {
    let runs = 0;
    const reload = coalesce(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
    });
    await Promise.all(Array.from({ length: 20 }, () => reload()));
    expect(runs).toBe(2);
    await reload();
    expect(runs).toBe(3);
  });
});
