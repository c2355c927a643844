import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Device } from '../src/common/api/device';
import { Engine } from '../src/engine/engine';
import { decodePhoto } from '../src/engine/imaging/decode';
import { thumbnailPipeline } from '../src/engine/imaging/thumbnail';
import { textCheckImagePath, writeTextCheckImage } from '../src/engine/imaging/text-check-image';
import { DEFAULT_CONCURRENCY } from '../src/engine/indexing/index-folders';
import { StageTimes } from '../src/engine/indexing/stage-times';
import { alignFace } from '../src/engine/ml/faces/align';
import { SessionPool } from '../src/engine/ml/runtime/session-pool';
import { loadFaceModels } from '../src/engine/ml/face-models';
import { ModelManager } from '../src/engine/models/model-manager';
import { checkPhotoText, detailLongSide, readPhotoText } from '../src/engine/jobs/text-pass';
import { analyzeFaces } from '../src/engine/ml/faces/face-analyzer';
import { loadOcrModels } from '../src/engine/ml/ocr-models';
import { enqueueBackfills } from '../src/engine/jobs/follow-ups';
import { seededRandom } from './seeded-random';
import { TextStore } from '../src/engine/library/text-store';
import { ClipModel, sharedSessionFactory } from '../src/engine/ml/clip/clip-model';
import { ImageBatcher } from '../src/engine/ml/clip/image-batcher';
import { bundledManifest } from '../src/engine/models/manifest';
import { BENCH_CLIP_ID, benchClipModel } from './clip/bench-clip-model';
import { LATIN_FONTS, signSvg, signWord } from './text-photos';

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
  /** Share of the generated photos that get a sign with a word on it (the rest have no text). */
  textShare?: number;
  /** What the photos are (the report names the set). */
  setName?: string;
  /**
   * Also index an average library, made the same way from these photos without real text
   * (average-library.ts) with a tenth signed, and time its text job against its index run.
   */
  averageLibrary?: { sources: string[] };
  /**
   * Index with a ViT-B/32-shaped CLIP (random weights, generated into the work folder) as the active
   * model, and count its image encoder in the bound. Needs CLIP's BPE vocabulary (../shared/models).
   */
  clip?: { bpeGzPath: string };
}

/**
 * The inference alone, per photo, one photo at a time on one thread each (so the numbers are CPU work,
 * not overlap): the face MODELS (detection + embedding on an already decoded image) against the text
 * job's check and full read (each with its own decode). Not the goal's measure (that is
 * TextVsFacePass: the face pass is the whole index run), kept to show where the text job's time goes.
 */
export interface OcrInferenceOnly {
  /** Photos that got a generated sign. */
  text_photos: number;
  /** Face detector + embedder (+ detail decode for small faces) per photo, on the index run's decode. */
  face_models_ms_per_photo: number;
  /** The low-resolution check, every photo, as the text job does it: decode of the index run's check image, detector. */
  scan_ms_per_photo: number;
  /** Of scan_ms_per_photo: the check image's decode. */
  scan_decode_ms_per_photo: number;
  /** What the check's decode cost before check images: the original's own analysis-size decode (JPEG shrink-on-load, 1/8 here). */
  scan_original_decode_ms_per_photo: number;
  /** Writing the check image in the index run (from its decode), per photo: text work, counted in extra_ms_per_photo. */
  check_image_write_ms_per_photo: number;
  /** Photos the check sent to the full read (photos with text, and false alarms). */
  read_share: number;
  /** Detail decode + detection where the check saw text + recognition, per photo read. */
  read_ms_per_read_photo: number;
  /** Of read_ms_per_read_photo: the detail decode (sized from the smallest line the check saw). */
  read_decode_ms_per_read_photo: number;
  /** Photos with text: a generated sign, or a line the full read found (press photos carry real text). */
  with_text_share: number;
  /** Photos without text that the check still sent to the full read. */
  false_alarm_share: number;
  /** check image write + scan + read_share × read: the extra cost of OCR per photo of this set. */
  extra_ms_per_photo: number;
  /** extra / face models on this set (inference only; NOT the face pass). */
  extra_vs_face_models: number;
  /**
   * extra / face models for a library in which this share of photos has text (every one read) and the
   * rest raise this set's false alarms: scan + (share + (1 − share) × false_alarm_share) × read, over face.
   */
  extra_vs_face_models_at_text_share: Record<'0.1' | '0.3', number>;
}

/** A real run's cost per photo, from its start to its end. */
export interface RunCost {
  /** Wall clock over photos. */
  wall_ms_per_photo: number;
  /** The process's CPU time (every thread: decoding, onnxruntime, JavaScript) over photos. */
  cpu_ms_per_photo: number;
}

/**
 * The goal's measure: the text job's extra cost against the face pass, both the real thing on the same
 * library, one after the other, timed alike, models loaded beforehand (start-up, not per photo).
 */
export interface TextVsFacePass {
  /** What the photos are. */
  set: string;
  photos: number;
  /** Photos that got a generated sign. */
  sign_photos: number;
  /**
   * The index run (decode, hashes, faces: detect, align, embed, thumbnail, commit) less its one piece of
   * text work, writing the check images (check_image_write, measured alone, photo by photo): counted as
   * text cost, and subtracted whole although in the run it overlaps other work (so the face pass is
   * understated, the text side overstated).
   */
  face_pass: RunCost;
  /** The index run as it ran, check images included. */
  index_run: RunCost;
  /** Writing one check image from the analysis decode, alone (wall = CPU: one libvips thread, one photo at a time). */
  check_image_write: RunCost;
  /**
   * The same index run on fresh libraries with text reading off (no check images), once just before
   * index_run and once after the text job (so the order of the runs favours neither): the face-only rate
   * the check images must not lower, next to index_run's; `photos_per_s` is the two runs' mean.
   */
  index_run_without_text: { before: RunCost & { photos_per_s: number }; after: RunCost & { photos_per_s: number }; photos_per_s: number };
  /** index_run's rate. */
  index_run_photos_per_s: number;
  /**
   * The `backfill-text` job right after the index run, as every front end queues it (the check on every
   * photo, from its check image; the full read where it saw text), plus check_image_write.
   */
  text_job: RunCost & {
    /** The job alone, without check_image_write. */
    job_only: RunCost;
    /** Photos the check sent to the full read. */
    read_share: number;
    /** Photos in which the read found at least one line. */
    with_text_share: number;
  };
  /** text_job / face_pass, per photo: the goal is at most 1. */
  ratio: { wall: number; cpu: number };
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
  /**
   * Text in photos against the face pass (not measured with --clip, which is about CLIP's cost): this
   * bench's photos, and an average library (most photos without text).
   */
  text_vs_face_pass: { bench_set: TextVsFacePass; average_library: TextVsFacePass | null } | null;
  /** Where the text job's time goes: its inference against the face models' (not the goal's measure). */
  ocr_inference_only: OcrInferenceOnly | null;
  /** The CLIP model indexed with (--clip), else null. */
  clip: string | null;
}

/**
 * `facet bench index`: Facet's real indexing against the bound the unavoidable work sets, measured in
 * the same process on the same photos, so machine load affects both alike; then the text job after it
 * against that index run, on these photos and on an average library's.
 */
export async function benchIndex(options: IndexBenchOptions): Promise<IndexBenchReport> {
  const width = options.width ?? 4000;
  const height = options.height ?? 3000;
  const workDir = options.workDir ?? path.join(os.tmpdir(), 'facet-bench-index');
  const textShare = options.textShare ?? 0.1;
  const photosDir = path.join(workDir, `photos-${width}x${height}-${options.photos}-text${Math.round(textShare * 100)}`);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const textPhotos = await generatePhotos(options.sourceDirs, photosDir, options.photos, width, height, textShare);
  // Named by its sources, so a changed choice of photos is generated afresh.
  const averageKey = createHash('sha256')
    .update(JSON.stringify(options.averageLibrary?.sources ?? []))
    .digest('hex')
    .slice(0, 8);
  const averageDir = path.join(workDir, `average-library-${width}x${height}-${options.photos}-text10-${averageKey}`);
  const averageSigns =
    options.averageLibrary && !options.clip
      ? await generatePhotos(options.averageLibrary.sources, averageDir, options.photos, width, height, AVERAGE_LIBRARY_TEXT_SHARE)
      : null;
  const files = photosIn(photosDir);
  for (const file of [...files, ...(averageSigns === null ? [] : photosIn(averageDir))]) fs.readFileSync(file); // same page-cache state for every measurement

  const clip = options.clip ? benchClipModel(workDir, options.clip.bpeGzPath) : null;
  const bound = await measureBound(
    files,
    options,
    concurrency,
    clip ? await ClipModel.load(clip.entry, clip.files, sharedSessionFactory(options.device ?? 'auto')) : null,
  );
  const inferenceOnly = clip ? null : await measureOcrInference(files, options, (i) => i % signEvery(textShare) === 0);

  // With --clip, the bench model is made the manifest's default CLIP model, installed where a download puts it.
  const bundled = bundledManifest();
  const manifest = clip
    ? { ...bundled, models: [...bundled.models.map((m) => (m.task === 'clip' ? { ...m, default: false } : m)), clip.entry] }
    : undefined;
  const engineOptions = { modelsDir: options.modelsDir, device: options.device ?? 'auto', concurrency, ...(manifest ? { manifest } : {}) };
  const stageTimes = new StageTimes();
  const main = await indexThenText(workDir, photosDir, engineOptions, {
    stageTimes,
    text: !clip,
    files,
    beforeIndex: clip ? (engine) => fs.symlinkSync(clip.modelDir, path.join(engine.library.paths.models, BENCH_CLIP_ID), 'dir') : undefined,
  });
  const average =
    averageSigns === null
      ? null
      : await indexThenText(workDir, averageDir, engineOptions, { stageTimes: new StageTimes(), text: true, files: photosIn(averageDir) });
  const facetRate = main.result.indexed / main.result.seconds;
  return {
    photos: main.result.indexed,
    megapixels: (width * height) / 1e6,
    bound_photos_per_s: round(bound),
    facet_photos_per_s: round(facetRate),
    ratio: round(facetRate / bound),
    faces: main.result.faces,
    stage_ms: stageTimes.means(),
    clustering_s: round(main.clusteringS),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    concurrency,
    cpus: os.availableParallelism(),
    text_vs_face_pass: main.text
      ? {
          bench_set: { set: options.setName ?? 'bench photos', sign_photos: textPhotos, ...main.text },
          average_library:
            average?.text && averageSigns !== null ? { set: AVERAGE_LIBRARY_SET, sign_photos: averageSigns, ...average.text } : null,
        }
      : null,
    ocr_inference_only: inferenceOnly ? { text_photos: textPhotos, ...inferenceOnly } : null,
    clip: clip ? BENCH_CLIP_ID : null,
  };
}

/** A tenth of an average library's photos get a sign; the rest have no text at all (average-library.ts). */
const AVERAGE_LIBRARY_TEXT_SHARE = 0.1;
const AVERAGE_LIBRARY_SET =
  'average library: ../shared portraits, family-album photos, small groups and things without real text (average-library.ts), every tenth with a sign';

type EngineSettings = Omit<Parameters<typeof Engine.open>[0], 'libraryDir'>;

interface IndexThenText {
  result: Awaited<ReturnType<Engine['index']>>;
  clusteringS: number;
  text: Omit<TextVsFacePass, 'set' | 'sign_photos'> | null;
}

/**
 * A fresh library: the index run, then (with `text`) the text job it queues, each timed on its own; with
 * `text` also the check images' write alone, and the index run with text reading off before and after.
 */
async function indexThenText(
  workDir: string,
  photosDir: string,
  settings: EngineSettings,
  run: { stageTimes: StageTimes; text: boolean; files: string[]; beforeIndex?: ((engine: Engine) => void) | undefined },
): Promise<IndexThenText> {
  const withoutTextBefore = run.text ? await indexWithoutText(workDir, photosDir, settings) : null;
  const libraryDir = fs.mkdtempSync(path.join(workDir, 'library-'));
  const engine = Engine.open({ libraryDir, ...settings });
  try {
    run.beforeIndex?.(engine);
    // Model loading is start-up, not indexing or reading.
    await Promise.all([engine.ctx.faceModels(), run.text ? engine.ctx.ocrModels() : null]);
    const index = timer();
    const result = await engine.index([photosDir], { stageTimes: run.stageTimes });
    const { seconds, ...indexRun } = index.stop(result.indexed);
    const clusteringS = seconds - result.seconds;
    if (!withoutTextBefore) return { result, clusteringS, text: null };
    const textJob = timer();
    if (enqueueBackfills(engine.ctx) > 0) await engine.runJobs({ kinds: ['backfill-text'] });
    const { seconds: _textSeconds, ...jobOnly } = textJob.stop(result.indexed);
    const models = await engine.ctx.ocrModels();
    const store = new TextStore(engine.library.db);
    const counts = store.counts(models.modelId);
    const write = await measureCheckImageWrite(run.files, path.join(libraryDir, 'check-image-bench'));
    const withoutTextAfter = await indexWithoutText(workDir, photosDir, settings);
    const face = {
      wall_ms_per_photo: round(indexRun.wall_ms_per_photo - write.wall_ms_per_photo),
      cpu_ms_per_photo: round(indexRun.cpu_ms_per_photo - write.cpu_ms_per_photo),
    };
    const text = {
      wall_ms_per_photo: round(jobOnly.wall_ms_per_photo + write.wall_ms_per_photo),
      cpu_ms_per_photo: round(jobOnly.cpu_ms_per_photo + write.cpu_ms_per_photo),
    };
    return {
      result,
      clusteringS,
      text: {
        photos: result.indexed,
        face_pass: face,
        index_run: indexRun,
        check_image_write: write,
        index_run_without_text: {
          before: withoutTextBefore,
          after: withoutTextAfter,
          photos_per_s: round((withoutTextBefore.photos_per_s + withoutTextAfter.photos_per_s) / 2),
        },
        index_run_photos_per_s: round(1000 / indexRun.wall_ms_per_photo),
        text_job: {
          ...text,
          job_only: jobOnly,
          read_share: round(store.readCount(models.modelId) / result.indexed),
          with_text_share: round(counts.withText / result.indexed),
        },
        ratio: { wall: round(text.wall_ms_per_photo / face.wall_ms_per_photo), cpu: round(text.cpu_ms_per_photo / face.cpu_ms_per_photo) },
      },
    };
  } finally {
    engine.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

/** The index run on a fresh library with text reading off: no check images written. */
async function indexWithoutText(workDir: string, photosDir: string, settings: EngineSettings): Promise<RunCost & { photos_per_s: number }> {
  const libraryDir = fs.mkdtempSync(path.join(workDir, 'library-'));
  const engine = Engine.open({ libraryDir, ...settings, readText: false });
  try {
    await engine.ctx.faceModels();
    const index = timer();
    const result = await engine.index([photosDir], { stageTimes: new StageTimes() });
    const { seconds: _seconds, ...cost } = index.stop(result.indexed);
    return { ...cost, photos_per_s: round(1000 / cost.wall_ms_per_photo) };
  } finally {
    engine.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

/** Writing each photo's check image from its analysis decode (not timed), one photo at a time. */
async function measureCheckImageWrite(files: string[], dir: string): Promise<RunCost> {
  let wall = 0;
  let cpu = 0;
  for (const [index, file] of files.entries()) {
    const decoded = await decodePhoto(fs.readFileSync(file));
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await writeTextCheckImage(decoded.image, dir, index);
    wall += performance.now() - start;
    const used = process.cpuUsage(startCpu);
    cpu += (used.user + used.system) / 1000;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { wall_ms_per_photo: round(wall / files.length), cpu_ms_per_photo: round(cpu / files.length) };
}

/** Wall clock and the whole process's CPU (all threads) from now to stop(), per photo; `seconds`: the wall clock. */
function timer(): { stop: (photos: number) => RunCost & { seconds: number } } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return {
    stop: (photos) => {
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - wall;
      return {
        seconds: ms / 1000,
        wall_ms_per_photo: round(ms / photos),
        cpu_ms_per_photo: round((used.user + used.system) / 1000 / photos),
      };
    },
  };
}

function photosIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => path.join(dir, f));
}

async function measureBound(files: string[], options: IndexBenchOptions, concurrency: number, clip: ClipModel | null): Promise<number> {
  const manager = new ModelManager({
    libraryModelsDir: path.join(os.tmpdir(), 'facet-bench-models'),
    ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}),
  });
  const models = await loadFaceModels(manager, new SessionPool(), options.device ?? 'auto');
  // CLIP's encoder runs are shared by the photos in flight, as indexing does (image-batcher.ts).
  const clipBatcher = clip ? new ImageBatcher((images) => clip.embedImages(images)) : null;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const decoded = await decodePhoto(files[i]!);
      const thumbnail = thumbnailPipeline(decoded.image).toBuffer();
      const faces = await models.detector.detect(decoded.image);
      await Promise.all([
        thumbnail,
        models.embedder.embed(faces.map((f) => alignFace(decoded.image, f.landmarks))),
        clipBatcher?.embed(decoded.image),
      ]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return files.length / ((performance.now() - started) / 1000);
}

/**
 * Face, scan and read inference measured photo by photo with the same models the index run and the
 * text job use. The face side here is only the face models (detect on the analysis decode, detail
 * decode for small faces, embed), not the face pass; OCR's extra is the text job's check on every
 * photo (with its own decode) plus the full read where the check found text.
 */
async function measureOcrInference(
  files: string[],
  options: IndexBenchOptions,
  signed: (index: number) => boolean,
): Promise<Omit<OcrInferenceOnly, 'text_photos'>> {
  const manager = new ModelManager({
    libraryModelsDir: path.join(os.tmpdir(), 'facet-bench-models'),
    ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}),
  });
  const [faces, ocr] = await Promise.all([
    loadFaceModels(manager, new SessionPool(), options.device ?? 'auto'),
    loadOcrModels(manager, options.device ?? 'auto'),
  ]);
  const checkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-check-'));
  let face = 0;
  let checkWrite = 0;
  let scan = 0;
  let scanDecode = 0;
  let originalDecode = 0;
  let read = 0;
  let readDecode = 0;
  let reads = 0;
  let withText = 0;
  let falseAlarms = 0;
  for (const [index, file] of files.entries()) {
    const bytes = fs.readFileSync(file);
    const decoded = await decodePhoto(bytes);
    let start = performance.now();
    await analyzeFaces(decoded.image, {
      detector: faces.detector,
      embedder: faces.embedder,
      scale: decoded.scale,
      loadDetail: (side) => decodePhoto(bytes, { longSide: side }),
    });
    face += performance.now() - start;
    // As the index run and the text job do it: the check image from the decode, then its decode and the check.
    start = performance.now();
    await writeTextCheckImage(decoded.image, checkDir, index);
    checkWrite += performance.now() - start;
    const checkImage = fs.readFileSync(textCheckImagePath(checkDir, index));
    start = performance.now();
    await decodePhoto(checkImage);
    scanDecode += performance.now() - start;
    start = performance.now();
    await decodePhoto(bytes);
    originalDecode += performance.now() - start;
    start = performance.now();
    const seen = await checkPhotoText(checkImage, ocr, Math.max(decoded.originalWidth, decoded.originalHeight));
    scan += performance.now() - start;
    if (!seen) {
      if (signed(index)) withText++;
      continue;
    }
    start = performance.now();
    const { reading } = await readPhotoText(bytes, ocr, seen);
    read += performance.now() - start;
    start = performance.now();
    await decodePhoto(bytes, { longSide: detailLongSide(seen) });
    readDecode += performance.now() - start;
    reads++;
    if (signed(index) || reading.lines.length > 0) withText++;
    else falseAlarms++;
  }
  fs.rmSync(checkDir, { recursive: true, force: true });
  const n = files.length;
  const faceMs = face / n;
  const scanMs = (checkWrite + scan) / n;
  const readMs = reads ? read / reads : 0;
  const falseAlarmShare = n > withText ? falseAlarms / (n - withText) : 0;
  const atShare = (share: number) => round((scanMs + (share + (1 - share) * falseAlarmShare) * readMs) / faceMs);
  return {
    face_models_ms_per_photo: round(faceMs),
    scan_ms_per_photo: round(scan / n),
    scan_decode_ms_per_photo: round(scanDecode / n),
    scan_original_decode_ms_per_photo: round(originalDecode / n),
    check_image_write_ms_per_photo: round(checkWrite / n),
    read_share: round(reads / n),
    read_ms_per_read_photo: round(readMs),
    read_decode_ms_per_read_photo: round(reads ? readDecode / reads : 0),
    with_text_share: round(withText / n),
    false_alarm_share: round(falseAlarmShare),
    extra_ms_per_photo: round((checkWrite + scan + read) / n),
    extra_vs_face_models: round((checkWrite + scan + read) / n / faceMs),
    extra_vs_face_models_at_text_share: { '0.1': atShare(0.1), '0.3': atShare(0.3) },
  };
}

/** 12 MP JPEGs made from the sources (folders of photos, or photos); every 1/textShare-th gets a sign. Returns how many have text. */
export async function generatePhotos(
  sourcePaths: string[],
  target: string,
  count: number,
  width: number,
  height: number,
  textShare: number,
): Promise<number> {
  const every = signEvery(textShare);
  const withText = every === Infinity ? 0 : Math.ceil(count / every);
  if (fs.existsSync(target) && fs.readdirSync(target).filter((f) => f.endsWith('.jpg')).length === count) return withText;
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const sources = sourcePaths.flatMap((source) =>
    fs.statSync(source).isDirectory()
      ? fs
          .readdirSync(source)
          .filter((f) => /\.(jpe?g|png)$/i.test(f))
          .map((f) => path.join(source, f))
      : [source],
  );
  if (sources.length === 0) throw new Error(`No source photos in ${sourcePaths.join(', ')}`);
  const random = seededRandom(7);
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    const photo = sharp(source).rotate().resize(width, height, { fit: 'cover' });
    if (i % every === 0)
      photo.composite([
        { input: Buffer.from(signSvg(width, height, { lines: [signWord(random)], font: LATIN_FONTS[i % LATIN_FONTS.length]!, random })) },
      ]);
    await photo.jpeg({ quality: 90 }).toFile(path.join(target, `bench-${String(i).padStart(5, '0')}.jpg`));
  }
  return withText;
}

/** Photo i (in file-name order) gets a sign when i is a multiple of this. */
function signEvery(textShare: number): number {
  return textShare > 0 ? Math.max(1, Math.round(1 / textShare)) : Infinity;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
