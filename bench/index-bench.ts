import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Device } from '../src/engine/ml/runtime/execution-providers';
import { Engine } from '../src/engine/engine';
import { decodePhoto } from '../src/engine/imaging/decode';
import { thumbnailPipeline } from '../src/engine/imaging/thumbnail';
import { DEFAULT_CONCURRENCY } from '../src/engine/indexing/index-folders';
import { StageTimes } from '../src/engine/indexing/stage-times';
import { alignFace } from '../src/engine/ml/faces/align';
import { loadFaceModels } from '../src/engine/ml/face-models';
import { ModelManager } from '../src/engine/models/model-manager';

export interface IndexBenchOptions {
  /** How many synthetic 12 MP photos to index. */
  photos: number;
  /** Photos to scale up (default: the labelled portraits and group photos in ../shared). */
  sourceDirs: string[];
  modelsDir?: string;
  device?: Device;
  concurrency?: number;
  /** Where the generated photos and the throwaway library go (kept between runs as a cache). */
  workDir?: string;
  width?: number;
  height?: number;
}

export interface IndexBenchReport {
  photos: number;
  megapixels: number;
  /** The unavoidable work alone, pipelined the same way: reduced decode, thumbnail, detector, one embedding per face. */
  bound_photos_per_s: number;
  facet_photos_per_s: number;
  ratio: number;
  faces: number;
  stage_ms: Record<string, number>;
  clustering_s: number;
  peak_rss_mb: number;
  concurrency: number;
  cpus: number;
}

/**
 * `facet bench index`: Facet's real indexing against the bound the unavoidable work sets, measured in
 * the same process on the same photos, so machine load affects both alike.
 */
export async function benchIndex(options: IndexBenchOptions): Promise<IndexBenchReport> {
  const width = options.width ?? 4000;
  const height = options.height ?? 3000;
  const workDir = options.workDir ?? path.join(os.tmpdir(), 'facet-bench-index');
  const photosDir = path.join(workDir, `photos-${width}x${height}-${options.photos}`);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  await generatePhotos(options.sourceDirs, photosDir, options.photos, width, height);
  const files = fs.readdirSync(photosDir).filter((f) => f.endsWith('.jpg')).map((f) => path.join(photosDir, f));
  for (const file of files) fs.readFileSync(file); // same page-cache state for both measurements

  const bound = await measureBound(files, options, concurrency);

  const libraryDir = fs.mkdtempSync(path.join(workDir, 'library-'));
  const engine = Engine.open({ libraryDir, modelsDir: options.modelsDir, device: options.device ?? 'auto', concurrency });
  const stageTimes = new StageTimes();
  try {
    await engine.ctx.faceModels(); // model loading is start-up, not indexing
    const started = performance.now();
    const result = await engine.index([photosDir], { stageTimes });
    const total = (performance.now() - started) / 1000;
    const facetRate = result.indexed / result.seconds;
    return {
      photos: result.indexed,
      megapixels: (width * height) / 1e6,
      bound_photos_per_s: round(bound),
      facet_photos_per_s: round(facetRate),
      ratio: round(facetRate / bound),
      faces: result.faces,
      stage_ms: stageTimes.means(),
      clustering_s: round(total - result.seconds),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      concurrency,
      cpus: os.availableParallelism(),
    };
  } finally {
    engine.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

async function measureBound(files: string[], options: IndexBenchOptions, concurrency: number): Promise<number> {
  const manager = new ModelManager({ libraryModelsDir: path.join(os.tmpdir(), 'facet-bench-models'), ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}) });
  const models = await loadFaceModels(manager, options.device ?? 'auto');
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const decoded = await decodePhoto(files[i]!);
      const thumbnail = thumbnailPipeline(decoded.image).toBuffer();
      const faces = await models.detector.detect(decoded.image);
      await Promise.all([thumbnail, models.embedder.embed(faces.map((f) => alignFace(decoded.image, f.landmarks)))]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return files.length / ((performance.now() - started) / 1000);
}

async function generatePhotos(sourceDirs: string[], target: string, count: number, width: number, height: number): Promise<void> {
  if (fs.existsSync(target) && fs.readdirSync(target).filter((f) => f.endsWith('.jpg')).length === count) return;
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const sources = sourceDirs.flatMap((dir) => fs.readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).map((f) => path.join(dir, f)));
  if (sources.length === 0) throw new Error(`No source photos in ${sourceDirs.join(', ')}`);
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    await sharp(source).rotate().resize(width, height, { fit: 'cover' }).jpeg({ quality: 90 }).toFile(path.join(target, `bench-${String(i).padStart(5, '0')}.jpg`));
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
