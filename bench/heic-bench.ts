import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/engine/engine';
import { heicDecoderInUse } from '../src/engine/imaging/heic-decoder';
import { DEFAULT_CONCURRENCY } from '../src/engine/indexing/index-folders';
import { StageTimes } from '../src/engine/indexing/stage-times';
import type { Device } from '../src/common/api/device';
import { decodeHevcHeic } from '../src/engine/imaging/hevc-heic';
import { withHugePageMalloc } from '../src/engine/imaging/huge-page-env';
import { detailedPhotos } from './detailed-photos';
import { writeGridHeic } from './heic-grid';
import { generatePhotos } from './index-bench';
import { completionRecorder, steadyPhotosPerSecond } from './steady-rate';

export interface HeicBenchOptions {
  photos: number;
  sourceDirs: string[];
  modelsDir?: string;
  device?: Device;
  /** iPhone-style: each photo a grid of 512×512 HEVC tiles (heic-grid.ts). */
  grid?: boolean;
  /** Photos in flight (default: the engine's default, at least two per core). */
  concurrency?: number;
  /** Where the generated photos go (kept between runs: encoding 12 MP HEICs is slow). */
  workDir?: string;
  /**
   * 'detailed' (default): mosaics of real photos at native resolution with sensor-like noise
   * (detailed-photos.ts), which decode about as slowly as a phone's photos. 'smooth': the upscaled
   * portraits of bench index (the set this bench used before; HEVC decodes them in about half the time).
   */
  photoSet?: PhotoSet;
  /** Detailed set only: tag the photos Display P3, as an iPhone does (see detailed-photos.ts). */
  displayP3?: boolean;
}

export type PhotoSet = 'detailed' | 'smooth';
export const PHOTO_SETS: readonly PhotoSet[] = ['detailed', 'smooth'];

/** heif-enc's quality for both sets (its default is 50): 3.3 MB per detailed 12 MP photo, within an iPhone's usual 1.5–4 MB. */
const HEIC_QUALITY = 60;
/** The detailed set's luma noise, in 8-bit levels. */
const SENSOR_NOISE_SIGMA = 2.5;

export interface HeicBenchReport {
  photos: number;
  megapixels: number;
  decoder: string;
  /** libheif's own converter on one photo, one at a time (the native decode time of the issue): the fastest of the three below. */
  native_decode_s: number;
  /** The same, measured before the index run and after it (native_decode_s is their mean). */
  native_decode_before_after_s: [number, number];
  /**
   * heif-convert's CPU and wall time for one photo to raw YCbCr (Y4M) and to a quality-95 JPEG, and its CPU
   * time to Y4M with the huge-page allocator Facet gives it.
   */
  native_decode_to: {
    y4m_cpu_s: number;
    y4m_wall_s: number;
    jpg_q95_cpu_s: number;
    jpg_q95_wall_s: number;
    y4m_huge_pages_cpu_s: number;
  };
  /** The WebAssembly decoder (libheif-js) on one photo, in this process. */
  wasm_decode_s: number;
  grid: boolean;
  photo_set: PhotoSet;
  /** The colour profile the photos carry ('display-p3' as an iPhone's, or none). */
  colour_profile: 'display-p3' | null;
  /** Mean size of one HEIC of the set. */
  heic_mb: number;
  /** cores ÷ native_decode_s: what decoding alone allows with every core decoding. */
  bound_photos_per_s: number;
  /**
   * The rate the run settles at (steady-rate.ts: between the photos an eighth of the way in and an eighth
   * from the end), and the whole run's (from the scan to the last photo, ramp and drain included).
   */
  facet_photos_per_s: number;
  whole_run_photos_per_s: number;
  /** facet_photos_per_s ÷ bound_photos_per_s (the issue's measure), and the same for the whole run. */
  ratio: number;
  whole_run_ratio: number;
  faces: number;
  /** Mean wall milliseconds per photo in each stage (stages overlap across photos in flight). */
  stage_ms: Record<string, number>;
  /**
   * CPU seconds per photo during the index run: the whole machine (converters included), this process, and
   * the time the hypervisor gave this virtual machine's CPUs to others (steal, counted in `machine` too): a
   * run with much of it measured a slower machine than the bound's decodes did.
   */
  cpu_s_per_photo: { machine: number; facet_process: number; stolen: number } | null;
  peak_rss_mb: number;
  cpus: number;
}

/**
 * `facet bench heic`: a folder of 12 MP HEVC HEICs (the bench's JPEGs through heif-enc, one image each;
 * with `grid`, cut into 512×512 tiles under a 'grid' item as an iPhone stores them, see heic-grid.ts)
 * indexed by the real engine, against the bound set by the cores and libheif's native decode time of one photo.
 */
export async function benchHeic(options: HeicBenchOptions): Promise<HeicBenchReport> {
  if (spawnSync('heif-enc', ['--help']).error || spawnSync('heif-convert', ['--help']).error) {
    throw new Error('facet bench heic needs heif-enc and heif-convert (Debian/Ubuntu: apt install libheif-examples).');
  }
  const workDir = options.workDir ?? path.join(os.tmpdir(), 'facet-bench-index');
  const photoSet = options.photoSet ?? 'detailed';
  const heics = await heicPhotos(options, workDir, photoSet);
  const files = fs
    .readdirSync(heics)
    .filter((f) => f.endsWith('.heic'))
    .map((f) => path.join(heics, f));
  const heicMb = files.reduce((sum, file) => sum + fs.statSync(file).size, 0) / files.length / 1e6;
  for (const file of files) fs.readFileSync(file);

  // The native decode time (nativeDecodeSeconds), measured before the index run and again after it, and
  // averaged: this virtual machine's speed drifts over a minute by more than the differences measured
  // here, and a bound taken only before the run made the ratio swing by ±0.1 between identical runs.
  const sample = files.slice(0, Math.min(4, files.length));
  const before = nativeDecodeSeconds(sample);
  // The WebAssembly fallback, one photo at a time in this process (for the cost only; not the bound).
  const wasmSample = files.slice(0, Math.min(2, files.length));
  const wasmStarted = performance.now();
  for (const file of wasmSample) await decodeHevcHeic(fs.readFileSync(file));
  const wasmSeconds = (performance.now() - wasmStarted) / 1000 / wasmSample.length;

  const libraryDir = fs.mkdtempSync(path.join(workDir, 'library-'));
  const engine = Engine.open({
    libraryDir,
    modelsDir: options.modelsDir,
    device: options.device ?? 'auto',
    concurrency: options.concurrency ?? Math.max(DEFAULT_CONCURRENCY, os.availableParallelism() * 2),
  });
  try {
    await engine.ctx.faceModels();
    const stageTimes = new StageTimes();
    const cpuBefore = cpuSeconds();
    const completions = completionRecorder();
    const result = await engine.index([heics], { stageTimes, onProgress: completions.onProgress });
    const cpuAfter = cpuSeconds();
    const wholeRunRate = result.indexed / result.seconds;
    const rate = steadyPhotosPerSecond(completions.completedAtMs) ?? wholeRunRate;
    const after = nativeDecodeSeconds(sample);
    const seconds = { ...before };
    for (const key of Object.keys(seconds) as (keyof NativeDecodeSeconds)[]) seconds[key] = (before[key] + after[key]) / 2;
    const fastest = (s: NativeDecodeSeconds) => Math.min(s.y4m, s.jpg, s.y4m_huge_pages);
    const nativeSeconds = fastest(seconds);
    const bound = os.availableParallelism() / nativeSeconds;
    return {
      photos: result.indexed,
      megapixels: 12,
      grid: options.grid ?? false,
      photo_set: photoSet,
      colour_profile: options.displayP3 && photoSet === 'detailed' ? 'display-p3' : null,
      heic_mb: round(heicMb),
      decoder: heicDecoderInUse().decoder,
      native_decode_s: round(nativeSeconds),
      native_decode_before_after_s: [round(fastest(before)), round(fastest(after))],
      native_decode_to: {
        y4m_cpu_s: round(seconds.y4m),
        y4m_wall_s: round(seconds.y4m_wall),
        jpg_q95_cpu_s: round(seconds.jpg),
        jpg_q95_wall_s: round(seconds.jpg_wall),
        y4m_huge_pages_cpu_s: round(seconds.y4m_huge_pages),
      },
      wasm_decode_s: round(wasmSeconds),
      bound_photos_per_s: round(bound),
      facet_photos_per_s: round(rate),
      whole_run_photos_per_s: round(wholeRunRate),
      ratio: round(rate / bound),
      whole_run_ratio: round(wholeRunRate / bound),
      faces: result.faces,
      stage_ms: stageTimes.means(),
      cpu_s_per_photo:
        cpuBefore && cpuAfter
          ? {
              machine: round((cpuAfter.machine - cpuBefore.machine) / result.indexed),
              facet_process: round((cpuAfter.self - cpuBefore.self) / result.indexed),
              stolen: round((cpuAfter.steal - cpuBefore.steal) / result.indexed),
            }
          : null,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpus: os.availableParallelism(),
    };
  } finally {
    engine.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

/**
 * The set's folder of HEICs, generated on the first run and kept (a 12 MP HEVC encode takes seconds). The
 * detailed set's lossless mosaics go through a temporary PNG each, removed once encoded.
 */
async function heicPhotos(options: HeicBenchOptions, workDir: string, photoSet: PhotoSet): Promise<string> {
  const heics = path.join(
    workDir,
    `heic${options.grid ? '-grid512' : ''}${photoSet === 'detailed' ? `-detailed${options.displayP3 ? '-p3' : ''}` : ''}-4000x3000-${options.photos}`,
  );
  fs.mkdirSync(heics, { recursive: true });
  const encode = async (source: string, target: string): Promise<void> => {
    if (options.grid) await writeGridHeic(source, `${target}.tmp.heic`, { quality: HEIC_QUALITY });
    else execFileSync('heif-enc', ['-q', String(HEIC_QUALITY), source, '-o', `${target}.tmp.heic`]);
    fs.renameSync(`${target}.tmp.heic`, target);
  };
  if (photoSet === 'smooth') {
    const jpegs = path.join(workDir, `photos-4000x3000-${options.photos}-text0`);
    await generatePhotos(options.sourceDirs, jpegs, options.photos, 4000, 3000, 0);
    for (const file of fs.readdirSync(jpegs).filter((f) => f.endsWith('.jpg'))) {
      const target = path.join(heics, file.replace(/\.jpg$/, '.heic'));
      if (!fs.existsSync(target)) await encode(path.join(jpegs, file), target);
    }
    return heics;
  }
  let write: ((index: number, file: string) => Promise<void>) | null = null;
  for (let i = 0; i < options.photos; i++) {
    const target = path.join(heics, `detailed-${String(i).padStart(5, '0')}.heic`);
    if (fs.existsSync(target)) continue;
    write ??= await detailedPhotos(options.sourceDirs, {
      width: 4000,
      height: 3000,
      noiseSigma: SENSOR_NOISE_SIGMA,
      ...(options.displayP3 ? { colourProfile: 'p3' as const } : {}),
    });
    const png = `${target}.tmp.png`;
    try {
      await write(i, png);
      await encode(png, target);
    } finally {
      fs.rmSync(png, { force: true });
    }
  }
  return heics;
}

/**
 * CPU seconds of this process, of the children it waited for, and of the whole machine (the converters run in their own processes,
 * started by a shell this process does not wait for), from /proc (Linux only). On a machine kept quiet
 * for the measurement (cpu-exclusive), the machine's CPU is the index run's.
 */
function cpuSeconds(): { self: number; children: number; machine: number; steal: number } | null {
  try {
    // stat(5): after the command name, utime and stime are fields 14 and 15, in clock ticks (100 a second).
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    const self = (Number(fields[11]) + Number(fields[12])) / 100;
    // cutime and cstime (16, 17): children this process waited for (execFileSync's).
    const children = (Number(fields[13]) + Number(fields[14])) / 100;
    // proc(5): the first line of /proc/stat is user nice system idle iowait irq softirq steal …
    const all = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const busy = all[0]! + all[1]! + all[2]! + all[5]! + all[6]! + all[7]!;
    return { self, children, machine: busy / 100, steal: all[7]! / 100 };
  } catch {
    return null;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

interface NativeDecodeSeconds {
  y4m: number;
  jpg: number;
  y4m_huge_pages: number;
  y4m_wall: number;
  jpg_wall: number;
  y4m_huge_pages_wall: number;
}

/**
 * heif-convert's time for one photo of `sample`: each, one at a time, to raw YCbCr (Y4M: the decode
 * alone, no colour conversion, no encoding) and to a quality-95 JPEG (what Facet asks it for), with
 * glibc's default allocator; and to Y4M once more with the huge-page allocator Facet starts the
 * converter with (huge-page-env.ts). The bound takes the fastest, in CPU seconds (libheif may decode a
 * grid's tiles on several threads, so cores ÷ CPU time is what the machine can do), so nothing Facet
 * could skip or speed up is counted in its favour.
 */
function nativeDecodeSeconds(sample: string[]): NativeDecodeSeconds {
  const runs = [
    { key: 'y4m', format: 'y4m', env: process.env },
    { key: 'jpg', format: 'jpg', env: process.env },
    { key: 'y4m_huge_pages', format: 'y4m', env: withHugePageMalloc(process.env) },
  ] as const;
  const seconds: NativeDecodeSeconds = { y4m: 0, jpg: 0, y4m_huge_pages: 0, y4m_wall: 0, jpg_wall: 0, y4m_huge_pages_wall: 0 };
  for (const file of sample) {
    for (const { key, format, env } of runs) {
      const out = path.join(os.tmpdir(), `facet-bench-heic-${process.pid}.${format}`);
      const before = cpuSeconds();
      const started = performance.now();
      execFileSync('heif-convert', ['--quiet', '-q', '95', file, out], { env });
      seconds[`${key}_wall`] += (performance.now() - started) / 1000 / sample.length;
      const after = cpuSeconds();
      seconds[key] += before && after ? (after.children - before.children) / sample.length : NaN;
      fs.rmSync(out, { force: true });
    }
  }
  return seconds;
}
