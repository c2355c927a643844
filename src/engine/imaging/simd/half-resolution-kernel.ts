import { HALF_RESOLUTION_RGB_WASM } from './half-resolution-rgb.wasm';

/** The compiled half-resolution-rgb.as.ts: its entry points (byte offsets into `memory`) and that memory. */
export interface HalfResolutionKernel {
  /** Writes the half-size RGB of the planes at `y`, `cb`, `cr` to `out`. */
  halfResolutionRgb(y: number, cb: number, cr: number, out: number, lumaWidth: number, lumaHeight: number): void;
  /** Writes `rows` rows of `width` RGB pixels at `rgb`, box-shrunk by `factor`, to `out` (`sums`: width × 6 bytes of scratch). */
  boxShrunkRgb(rgb: number, sums: number, out: number, width: number, rows: number, factor: number): void;
  /** The kernel's memory, at least as long as asked for: a fresh view (growing detaches the old one). */
  memory: Uint8Array;
}

const PAGE_BYTES = 65536;
let instance: (Omit<HalfResolutionKernel, 'memory'> & { memory: WebAssembly.Memory }) | null = null;

/**
 * The kernel with at least `bytes` of memory. Instantiated on first use and kept: the caller feeds it a few
 * rows at a time (ycbcr-planes.ts), so its memory stays at a megabyte or two whatever the photo's size.
 * Synchronous, so one instance serves every decode of the process.
 */
export function halfResolutionKernel(bytes: number): HalfResolutionKernel {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (!instance) {
    const memory = new WebAssembly.Memory({ initial: pages });
    const module = new WebAssembly.Module(Buffer.from(HALF_RESOLUTION_RGB_WASM, 'base64'));
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Omit<HalfResolutionKernel, 'memory'>;
    instance = { memory, halfResolutionRgb: exports.halfResolutionRgb, boxShrunkRgb: exports.boxShrunkRgb };
  }
  const grow = pages - instance.memory.buffer.byteLength / PAGE_BYTES;
  if (grow > 0) instance.memory.grow(grow);
  return { ...instance, memory: new Uint8Array(instance.memory.buffer) };
}
