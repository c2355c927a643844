import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReusableBuffers, readIntoReusable } from '../../../src/engine/imaging/reusable-buffers';

afterEach(() => {
  vi.useRealTimers();
});

describe('ReusableBuffers', () => {
  it('hands a released buffer to the next take, and never one buffer to two takes at once', () => {
    const buffers = new ReusableBuffers(2, 1 << 20, 60_000);
    const first = buffers.take(1000);
    first.buffer.fill(1);
    first.release();
    first.release(); // a second release must not put it in the pool twice
    const again = buffers.take(800);
    expect(again.buffer.buffer).toBe(first.buffer.buffer);
    expect(again.buffer).toHaveLength(800);
    const other = buffers.take(800);
    expect(other.buffer.buffer).not.toBe(again.buffer.buffer);
  });

  it('keeps at most its count and bytes, and nothing once idle', () => {
    vi.useFakeTimers();
    const buffers = new ReusableBuffers(2, 3000, 1000);
    const taken = [buffers.take(1000), buffers.take(1000), buffers.take(1000)];
    for (const { release } of taken) release();
    expect(buffers.keptBytes()).toBe(2000); // the third is over the count
    const large = buffers.take(5000); // none kept is large enough: a new one
    expect(taken.some(({ buffer }) => buffer.buffer === large.buffer.buffer)).toBe(false);
    large.release();
    expect(buffers.keptBytes()).toBe(2000); // over the byte limit: not kept
    vi.advanceTimersByTime(999);
    expect(buffers.keptBytes()).toBe(2000);
    vi.advanceTimersByTime(2);
    expect(buffers.keptBytes()).toBe(0);
  });
});

describe('readIntoReusable', () => {
  it('reads the whole file, into the kept buffer the second time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-reusable-'));
    try {
      const file = path.join(dir, 'planes.y4m');
      const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) & 255));
      fs.writeFileSync(file, content);
      const buffers = new ReusableBuffers(1, 1 << 20, 60_000);
      const first = await readIntoReusable(file, buffers);
      expect(first.bytes.equals(content)).toBe(true);
      first.release();
      fs.writeFileSync(file, content.subarray(0, 1000));
      const second = await readIntoReusable(file, buffers);
      expect(second.bytes.buffer).toBe(first.bytes.buffer);
      expect(second.bytes.equals(content.subarray(0, 1000))).toBe(true);
      await expect(readIntoReusable(path.join(dir, 'gone.y4m'), buffers)).rejects.toThrow(/ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
