import fs from 'node:fs';

/**
 * A few large buffers kept for the next decode, so a HEIC's planes are not read into fresh memory every
 * photo: a 12 MP photo's planes are 18 MB, read once and dropped as soon as halfResolutionRgb has made its
 * RGB. WHY: fresh memory costs page faults on first touch (reading into a reused buffer took 15 ms here,
 * into a new one 23), and V8 counts every new Buffer as external memory and starts a full GC when enough
 * has been allocated: indexing 16 HEICs ran 21 and 23 mark-compacts with a fresh buffer per photo, 15 and
 * 19 with these.
 *
 * Bounded: at most `keep` buffers and `maxBytes` in all are kept (a 48 MP photo's 72 MB planes are not),
 * and all of them are let go after `idleMs` without a decode, so an idle app holds none.
 */
export class ReusableBuffers {
  private readonly free: Buffer[] = [];
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly keep: number,
    private readonly maxBytes: number,
    private readonly idleMs: number,
  ) {}

  /** A buffer of exactly `size` bytes (a view into a kept one when one is large enough), with its contents undefined. */
  take(size: number): { buffer: Buffer; release: () => void } {
    this.touch();
    const index = this.free.findIndex((kept) => kept.length >= size);
    const whole = index >= 0 ? this.free.splice(index, 1)[0]! : Buffer.allocUnsafeSlow(size);
    let released = false;
    return {
      buffer: whole.subarray(0, size),
      // Once only: a buffer given back twice would be handed to two decodes at the same time.
      release: () => {
        if (released) return;
        released = true;
        this.give(whole);
      },
    };
  }

  /** How many bytes are kept now (for tests and status). */
  keptBytes(): number {
    return this.free.reduce((sum, kept) => sum + kept.length, 0);
  }

  private give(whole: Buffer): void {
    this.touch();
    if (this.free.length < this.keep && this.keptBytes() + whole.length <= this.maxBytes) this.free.push(whole);
  }

  private touch(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.free.splice(0), this.idleMs);
    this.idle.unref();
  }
}

/**
 * The whole file read into a buffer from `buffers`; call `release` once nothing reads the bytes any more
 * (they are a view into memory the next read reuses).
 */
export async function readIntoReusable(file: string, buffers: ReusableBuffers): Promise<{ bytes: Buffer; release: () => void }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const { buffer, release } = buffers.take(size);
    try {
      let read = 0;
      while (read < size) {
        const { bytesRead } = await handle.read(buffer, read, size - read, read);
        if (bytesRead === 0) break; // the file shrank while being read: what came is what parseY4m checks
        read += bytesRead;
      }
      return { bytes: buffer.subarray(0, read), release };
    } catch (error) {
      release();
      throw error;
    }
  } finally {
    await handle.close();
  }
}
