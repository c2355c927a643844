import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/engine/engine';
import { heicDecoderInUse } from '../src/engine/imaging/heic-decoder';
import { DEFAULT_CONCURRENCY } from '../src/engine/indexing/index-folders';
import type { Device } from '../src/common/api/device';
import { generatePhotos } from './index-bench';

export interface HeicBenchOptions {
  photos: number;
  sourceDirs: string[];
  modelsDir?: string;
  device?: Device;
  /** Where the generated photos go (kept between runs: encoding 12 MP HEICs is slow). */
  workDir?: string;
}

export interface HeicBenchReport {
  photos: number;
  megapixels: number;
  decoder: string;
  /** libheif's own converter on one photo, one at a time (the native decode time of the issue). */
  native_decode_s: number;
  /** cores ÷ native_decode_s: what decoding alone allows with every core decoding. */
  bound_photos_per_s: number;
  facet_photos_per_s: number;
  ratio: number;
  faces: number;
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

  // The native decode time: heif-convert on a few photos, one at a time.
  const sample = files.slice(0, Math.min(4, files.length));
  const out = path.join(os.tmpdir(), `facet-bench-heic-${process.pid}.jpg`);
  const started = performance.now();
  for (const file of sample) execFileSync('heif-convert', ['--quiet', '-q', '95', file, out]);
  const nativeSeconds = (performance.now() - started) / 1000 / sample.length;
  fs.rmSync(out, { force: true });
  const bound = os.availableParallelism() / nativeSeconds;

  const libraryDir = fs.mkdtempSync(path.join(workDir, 'library-'));
  const engine = Engine.open({
    libraryDir,
    modelsDir: options.modelsDir,
    device: options.device ?? 'auto',
    concurrency: Math.max(DEFAULT_CONCURRENCY, os.availableParallelism() * 2),
  });
  try {
    await engine.ctx.faceModels();
    const result = await engine.index([heics]);
    const rate = result.indexed / result.seconds;
    return {
      photos: result.indexed,
      megapixels: 12,
      decoder: heicDecoderInUse().decoder,
      native_decode_s: round(nativeSeconds),
      bound_photos_per_s: round(bound),
      facet_photos_per_s: round(rate),
      ratio: round(rate / bound),
      faces: result.faces,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpus: os.availableParallelism(),
    };
  } finally {
    engine.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
