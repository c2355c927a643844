import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/engine/engine';
import { heicDecoderInUse } from '../src/engine/imaging/heic-decoder';
import { DEFAULT_CONCURRENCY } from '../src/engine/indexing/index-folders';
import { StageTimes } from '../src/engine/indexing/stage-times';
import type { Device } from '../src/common/api/device';
import { generatePhotos } from './index-bench';

export interface HeicBenchOptions {
  photos: number;
  sourceDirs: string[];
  modelsDir?: string;
  device?: Device;
  /** Photos in flight (default: the engine's default, at least two per core). */
  concurrency?: number;
  /** Where the generated photos go (kept between runs: encoding 12 MP HEICs is slow). */
  workDir?: string;
}

export interface HeicBenchReport {
  photos: number;
  megapixels: number;
  decoder: string;
  /** libheif's own converter on one photo, one at a time (the native decode time of the issue): the faster of the two below. */
  native_decode_s: number;
  /** heif-convert's time for one photo to raw YCbCr (Y4M) and to a quality-95 JPEG. */
  native_decode_to: { y4m_s: number; jpg_q95_s: number };
  /** cores ÷ native_decode_s: what decoding alone allows with every core decoding. */
  bound_photos_per_s: number;
  facet_photos_per_s: number;
  ratio: number;
  faces: number;
  /** Mean wall milliseconds per photo in each stage (stages overlap across photos in flight). */
  stage_ms: Record<string, number>;
  /** CPU seconds per photo during the index run: the whole machine (converters included), and this process. */
  cpu_s_per_photo: { machine: number; facet_process: number } | null;
  peak_rss_mb: number;
  cpus: number;
}

/**
 * `facet bench heic`: a folder of 12 MP HEVC HEICs (the bench's JPEGs through heif-enc, as an iPhone
 * would store them, though not grid-tiled: heif-enc 1.15 writes one image) indexed by the real engine,
 * against the bound set by the cores and libheif's native decode time of one photo.
 */
export async function benchHeic(options: HeicBenchOptions): Promise<HeicBenchReport> {
  if (spawnSync('heif-enc', ['--help']).error || spawnSync('heif-convert', ['--help']).error) {
    throw new Error('facet bench heic needs heif-enc and heif-convert (Debian/Ubuntu: apt install libheif-examples).');
  }
  const workDir = options.workDir ?? path.join(os.tmpdir(), 'facet-bench-index');
  const jpegs = path.join(workDir, `photos-4000x3000-${options.photos}-text0`);
  await generatePhotos(options.sourceDirs, jpegs, options.photos, 4000, 3000, 0);
  const heics = path.join(workDir, `heic-4000x3000-${options.photos}`);
  fs.mkdirSync(heics, { recursive: true });
  for (const file of fs.readdirSync(jpegs).filter((f) => f.endsWith('.jpg'))) {
    const target = path.join(heics, file.replace(/\.jpg$/, '.heic'));
    if (fs.existsSync(target)) continue;
    execFileSync('heif-enc', ['-q', '60', path.join(jpegs, file), '-o', `${target}.tmp.heic`]);
    fs.renameSync(`${target}.tmp.heic`, target);
  }
  const files = fs
    .readdirSync(heics)
    .filter((f) => f.endsWith('.heic'))
    .map((f) => path.join(heics, f));
  for (const file of files) fs.readFileSync(file);

  // The native decode time: heif-convert on a few photos, one at a time, to raw YCbCr (Y4M: the decode
  // alone, no colour conversion, no encoding) and to a quality-95 JPEG (what Facet asks it for). The
  // bound takes the faster, so nothing Facet could skip is counted in its favour.
  const sample = files.slice(0, Math.min(4, files.length));
  const seconds = { y4m: 0, jpg: 0 };
  for (const file of sample) {
    for (const format of ['y4m', 'jpg'] as const) {
      const out = path.join(os.tmpdir(), `facet-bench-heic-${process.pid}.${format}`);
      const started = performance.now();
      execFileSync('heif-convert', ['--quiet', '-q', '95', file, out]);
      seconds[format] += (performance.now() - started) / 1000 / sample.length;
      fs.rmSync(out, { force: true });
    }
  }
  const nativeSeconds = Math.min(seconds.y4m, seconds.jpg);
  const bound = os.availableParallelism() / nativeSeconds;

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
    const result = await engine.index([heics], { stageTimes });
    const cpuAfter = cpuSeconds();
    const rate = result.indexed / result.seconds;
    return {
      photos: result.indexed,
      megapixels: 12,
      decoder: heicDecoderInUse().decoder,
      native_decode_s: round(nativeSeconds),
      native_decode_to: { y4m_s: round(seconds.y4m), jpg_q95_s: round(seconds.jpg) },
      bound_photos_per_s: round(bound),
      facet_photos_per_s: round(rate),
      ratio: round(rate / bound),
      faces: result.faces,
      stage_ms: stageTimes.means(),
      cpu_s_per_photo:
        cpuBefore && cpuAfter
          ? {
              machine: round((cpuAfter.machine - cpuBefore.machine) / result.indexed),
              facet_process: round((cpuAfter.self - cpuBefore.self) / result.indexed),
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
 * CPU seconds of this process, and of the whole machine (the converters run in their own processes,
 * started by a shell this process does not wait for), from /proc (Linux only). On a machine kept quiet
 * for the measurement (cpu-exclusive), the machine's CPU is the index run's.
 */
function cpuSeconds(): { self: number; machine: number } | null {
  try {
    // stat(5): after the command name, utime and stime are fields 14 and 15, in clock ticks (100 a second).
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    const self = (Number(fields[11]) + Number(fields[12])) / 100;
    // proc(5): the first line of /proc/stat is user nice system idle iowait irq softirq steal …
    const all = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const busy = all[0]! + all[1]! + all[2]! + all[5]! + all[6]! + all[7]!;
    return { self, machine: busy / 100 };
  } catch {
    return null;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
