import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Device } from '../src/common/api/device';
import type { IndexProgress } from '../src/common/api/library';
import { Engine } from '../src/engine/engine';
import { prefillIndexed } from './rss-prefill';

export interface RssBenchOptions {
  photos: number;
  modelsDir?: string;
  device?: Device;
  concurrency?: number;
  /** Where the generated photos and the throwaway library go (photos are kept as a cache). */
  workDir?: string;
  /** Of the photos, how many are registered as already indexed (with faces) instead of analysed: see rss-prefill.ts. */
  prefill?: number;
  facesPerPhoto?: number;
}

export interface RssBenchReport {
  photos: number;
  prefilled: number;
  prefilled_faces: number;
  indexed: number;
  faces: number;
  generate_s: number;
  index_s: number;
  photos_per_s: number;
  /** Peak resident memory of the whole run (VmHWM reset before it, where Linux allows). */
  peak_rss_mb: number;
  /** The same peak when the photos were in and clustering (people) began: the indexer's own share. */
  peak_rss_before_clustering_mb: number | null;
  clustering_s: number | null;
  rss_before_mb: number;
  /** RSS after each tenth of the photos: a flat curve means memory does not grow with the library. */
  rss_curve_mb: number[];
  peak_scope: 'indexing' | 'process';
}

/** MobileFaceNet's embedding size (the prefilled faces' vectors). */
const EMBEDDING_DIMENSIONS = 128;

/** Photos per generated folder, as a camera's DCIM would have them. */
const PER_FOLDER = 1000;
const SIDE = 24;

/**
 * `facet bench rss --photos N`: N tiny distinct JPEGs indexed in one run, with peak RSS. The photos
 * are tiny so that what is measured is what grows with the size of the library (work lists, rows,
 * caches, clustering), not the size of one photo.
 */
export async function benchRss(options: RssBenchOptions): Promise<RssBenchReport> {
  const workDir = options.workDir ?? path.join(os.tmpdir(), 'facet-bench-rss');
  const photosDir = path.join(workDir, `photos-${options.photos}`);
  const generateStart = performance.now();
  await generateTinyPhotos(photosDir, options.photos);
  const generateSeconds = (performance.now() - generateStart) / 1000;

  const libraryDir = fs.mkdtempSync(path.join(workDir, 'library-'));
  const curve: number[] = [];
  let nextTenth = 1;
  let beforeClustering: number | null = null;
  let clusteringStarted: number | null = null;
  // Progress events arrive synchronously, also right before clustering (which blocks the event loop).
  const onProgress = ({ done, total, phase }: IndexProgress) => {
    if (phase === 'clustering' && beforeClustering === null) {
      beforeClustering = peakRss();
      clusteringStarted = performance.now();
    }
    while (total > 0 && done >= (nextTenth * total) / 10) {
      curve.push(mb(process.memoryUsage.rss()));
      nextTenth++;
    }
  };
  const engine = Engine.open({
    libraryDir,
    modelsDir: options.modelsDir,
    device: options.device ?? 'auto',
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    onEvent: (event, payload) => event === 'index.progress' && onProgress(payload as IndexProgress),
  });
  try {
    const faceModels = await engine.ctx.faceModels();
    const facesPerPhoto = options.facesPerPhoto ?? 1;
    const prefilled = options.prefill
      ? await prefillIndexed(engine.library, photosDir, options.prefill, faceModels.embedderId, facesPerPhoto, EMBEDDING_DIMENSIONS)
      : 0;
    const peakScope = resetPeakRss() ? 'indexing' : 'process';
    const rssBefore = process.memoryUsage.rss();
    const started = performance.now();
    const result = await engine.index([photosDir]);
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    return {
      photos: options.photos,
      prefilled,
      prefilled_faces: prefilled * facesPerPhoto,
      indexed: result.indexed + result.unchanged,
      faces: result.faces,
      generate_s: round(generateSeconds),
      index_s: round(seconds),
      photos_per_s: round(result.indexed / seconds),
      peak_rss_mb: mb(peakRss()),
      peak_rss_before_clustering_mb: beforeClustering === null ? null : mb(beforeClustering),
      clustering_s: clusteringStarted === null ? null : round((ended - clusteringStarted) / 1000),
      rss_before_mb: mb(rssBefore),
      rss_curve_mb: curve,
      peak_scope: peakScope,
    };
  } finally {
    engine.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

/** Distinct content per photo (the index is drawn into the pixels), so every file is a new photo. */
async function generateTinyPhotos(dir: string, count: number): Promise<void> {
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return;
  let next = 0;
  const worker = async () => {
    const pixels = Buffer.alloc(SIDE * SIDE * 3);
    for (let i = next++; i < count; i = next++) {
      for (let p = 0; p < SIDE * SIDE; p++) {
        const bit = (i >> (p % 17)) & 1;
        pixels[p * 3] = bit ? 230 : 20;
        pixels[p * 3 + 1] = (i * 7 + p) & 0xff;
        pixels[p * 3 + 2] = (i >> 8) & 0xff;
      }
      const folder = path.join(dir, String(Math.floor(i / PER_FOLDER)).padStart(4, '0'));
      await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } })
        .jpeg({ quality: 70 })
        .toFile(path.join(folder, `${i}.jpg`));
    }
  };
  for (let f = 0; f * PER_FOLDER < count; f++) fs.mkdirSync(path.join(dir, String(f).padStart(4, '0')), { recursive: true });
  await Promise.all(Array.from({ length: 8 }, worker));
  fs.writeFileSync(done, String(count));
}

/** Linux: writing 5 to clear_refs resets VmHWM, so the peak excludes generating the photos. */
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRss(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: the process-wide peak below
  }
  return process.resourceUsage().maxRSS * 1024;
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
