/**
 * Where the five landmarks come from, measured on all four sets: the face is always detected once as
 * production does (so the same faces, boxes and centred face), then its landmarks are re-estimated from
 * other detector passes and the face is aligned (bicubic, from the ORIGINAL pixels) and embedded with its
 * mirror, as analyzeFaces does. One flow.ts cache directory per variant:
 *   FACET_LEARNING_CACHE=<out>/<variant> npx vite-node bench/people/flow.ts -- hard-lfw --tta --cluster-only
 * Passes: base (as production), mirror (the image flipped, landmarks flipped back and their left/right
 * swapped), up<k> (the image enlarged k times, landmarks scaled back), pad (the image framed by a black
 * border a quarter of its side: tight crops put the face at the edge of the detector's field).
 * Run: npx vite-node bench/people/landmark-variants.ts -- <outDir> [sets, default celebs,lfw] [--only=hard|normal]
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { YuNetDetector } from '../../src/engine/ml/faces/detector';
import { alignFace } from '../../src/engine/ml/faces/align';
import { faceQuality } from '../../src/engine/ml/faces/quality';
import { mirrorAligned } from '../../src/engine/ml/faces/mirror';
import { EMBEDDING_INTERPOLATION } from '../../src/engine/ml/faces/face-analyzer';
import type { DetectedFace } from '../../src/engine/ml/faces/types';
import type { RgbImage } from '../../src/engine/imaging/rgb-image';
import type { Point } from '../../src/common/api/library';
import { LANDMARK_VIEWS, refineLandmarks, type LandmarkViews } from '../../src/engine/ml/faces/landmark-refinement';
import { twinOf } from '../../src/engine/ml/faces/mirrored-landmarks';
import { centredFaceIndex } from './centred-face';
import { degradationFor, degradedRegion } from './hard-set';
import { analyseLabelledSet } from './labelled-set';
import type { CachedFace } from './embed-sets';
import { benchFaceModels, SHARED_DIR } from './face-models';

const args = process.argv.slice(2).filter((a) => a !== '--');
const positional = args.filter((a) => !a.startsWith('--'));
const shared = SHARED_DIR;
const outDir = positional[0] ?? '/tmp/facet-landmark-variants';
const sets = (positional[1] ?? 'celebs,lfw').split(',');
const only = args.find((a) => a.startsWith('--only='))?.slice(7) as 'hard' | 'normal' | undefined;
/**
 * Pixel-coordinate convention of YuNet's landmarks: 'edge' = pixel i spans [i, i+1) (a mirror maps x to
 * W - x, a k-times enlargement x to x / k); 'centre' = pixel i is centred on i (W - 1 - x, (x + 0.5) / k - 0.5).
 */
const convention = (process.env.LANDMARK_CONVENTION ?? 'edge') as 'edge' | 'centre';

type Pass = 'base' | 'mirror' | 'up2' | 'up2mirror' | 'up3' | 'up3mirror' | 'pad' | 'padmirror';
const PASSES: Pass[] = ['base', 'mirror', 'up2', 'up2mirror', 'up3', 'up3mirror', 'pad', 'padmirror'];
/** Each variant: the passes whose matched landmarks are averaged. */
const ALL_VARIANTS: Record<string, Pass[]> = {
  base: ['base'],
  mirror: ['base', 'mirror'],
  up2: ['up2'],
  up2mirror: ['up2', 'up2mirror'],
  up3: ['up3'],
  all: ['base', 'mirror', 'up2', 'up2mirror'],
  all8: ['base', 'mirror', 'up2', 'up2mirror', 'up3', 'up3mirror', 'pad', 'padmirror'],
  mirrorpad: ['base', 'mirror', 'pad', 'padmirror'],
  pad: ['pad'],
  /** Not a detector pass: the original photo's landmarks carried into the crop (hard faces only; else base). */
  oracle: ['base'],
  /** Not a whole-image pass: production's refineLandmarks over the mirror-averaged faces. */
  window: ['base'],
};

/** WINDOW_SIDES=48,64,… and WINDOW_CONTEXT=2 override production's views for the 'window' variant. */
const windowViews: LandmarkViews = {
  ...LANDMARK_VIEWS,
  context: Number(process.env.WINDOW_CONTEXT ?? LANDMARK_VIEWS.context),
  faceSides: process.env.WINDOW_SIDES ? process.env.WINDOW_SIDES.split(',').map(Number) : LANDMARK_VIEWS.faceSides,
};

/** VARIANTS=base,mirror,… embeds only those (each costs two embeddings per face). */
const VARIANTS = Object.fromEntries(
  Object.entries(ALL_VARIANTS).filter(([name]) => !process.env.VARIANTS || process.env.VARIANTS.split(',').includes(name)),
);

function flipped(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      const to = (y * width + width - 1 - x) * 3;
      out[to] = data[from]!;
      out[to + 1] = data[from + 1]!;
      out[to + 2] = data[from + 2]!;
    }
  }
  return { data: out, width, height };
}

async function enlarged(image: RgbImage, k: number): Promise<RgbImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(image.width * k, image.height * k, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

function padded(image: RgbImage, p: number): RgbImage {
  const width = image.width + 2 * p;
  const height = image.height + 2 * p;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < image.height; y++)
    out.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), ((y + p) * width + p) * 3);
  return { data: out, width, height };
}

const mapFace = (face: DetectedFace, point: (p: Point) => Point, swap: boolean): DetectedFace => {
  const [x, y, w, h] = face.box;
  const a = point([x, y]);
  const b = point([x + w, y + h]);
  const landmarks = face.landmarks.map(point);
  return {
    box: [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])],
    score: face.score,
    landmarks: swap ? [landmarks[1]!, landmarks[0]!, landmarks[2]!, landmarks[4]!, landmarks[3]!] : landmarks,
  };
};

const unflip = (width: number) =>
  convention === 'edge' ? ([x, y]: Point): Point => [width - x, y] : ([x, y]: Point): Point => [width - 1 - x, y];
const unscale = (k: number) =>
  convention === 'edge' ? ([x, y]: Point): Point => [x / k, y / k] : ([x, y]: Point): Point => [(x + 0.5) / k - 0.5, (y + 0.5) / k - 0.5];

async function detectPasses(detector: YuNetDetector, image: RgbImage): Promise<Record<Pass, DetectedFace[]>> {
  const up2 = await enlarged(image, 2);
  const up3 = await enlarged(image, 3);
  const pad = Math.round(Math.max(image.width, image.height) / 4);
  const framed = padded(image, pad);
  return {
    base: await detector.detect(image),
    mirror: (await detector.detect(flipped(image))).map((f) => mapFace(f, unflip(image.width), true)),
    up2: (await detector.detect(up2)).map((f) => mapFace(f, unscale(2), false)),
    up2mirror: (await detector.detect(flipped(up2))).map((f) => mapFace(f, (p) => unscale(2)(unflip(up2.width)(p)), true)),
    up3: (await detector.detect(up3)).map((f) => mapFace(f, unscale(3), false)),
    up3mirror: (await detector.detect(flipped(up3))).map((f) => mapFace(f, (p) => unscale(3)(unflip(up3.width)(p)), true)),
    pad: (await detector.detect(framed)).map((f) => mapFace(f, ([x, y]) => [x - pad, y - pad], false)),
    padmirror: (await detector.detect(flipped(framed))).map((f) =>
      mapFace(
        f,
        (p) => {
          const [x, y] = unflip(framed.width)(p);
          return [x - pad, y - pad];
        },
        true,
      ),
    ),
  };
}

const meanLandmarks = (faces: DetectedFace[]): Point[] =>
  faces[0]!.landmarks.map((_, n) => [
    faces.reduce((s, f) => s + f.landmarks[n]![0], 0) / faces.length,
    faces.reduce((s, f) => s + f.landmarks[n]![1], 0) / faces.length,
  ]);

const round = (v: Float32Array): number[] => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);

/** Each labelled original's centred face: its landmarks and box, and the photo's size. */
const originals = new Map<string, { face: DetectedFace; width: number; height: number }>();

/** The original's landmarks of the centred face in the hard crop's pixels (the crop is a known crop + scale). */
function oracleLandmarks(photo: string, crop: RgbImage): Point[] | undefined {
  const original = originals.get(photo.slice('hard/'.length));
  if (!original) return undefined;
  const region = degradedRegion(original.face.box, original.width, original.height, degradationFor(photo.slice('hard/'.length)).margin);
  const sx = crop.width / region.width;
  const sy = crop.height / region.height;
  return original.face.landmarks.map(([x, y]) => [(x - region.left) * sx, (y - region.top) * sy]);
}

/** Mean landmark distance of each variant from the oracle, in eye-to-mouth units (hard centred faces). */
const errors: Record<string, { sum: number; n: number }> = {};

/** Landmark offsets of each pass from base, in units of the face's eye-to-mouth distance (diagnostics). */
const offsets: Record<string, { dx: number; dy: number; n: number; spread: number }> = {};

async function main(): Promise<void> {
  const { detector, embedder } = await benchFaceModels(shared);

  const analyse = async (input: string | Buffer, photo: string, identity: string | null) => {
    const { data, info } = await sharp(input).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const image: RgbImage = { data: new Uint8Array(data), width: info.width, height: info.height };
    const kind = photo.startsWith('hard/') ? 'hard' : 'normal';
    const wholeImagePasses = Object.values(VARIANTS).some((ps) => ps.some((p) => p !== 'base'));
    const skip = (only && only !== kind) || !wholeImagePasses;
    const passes = skip ? { base: await detector.detect(image) } : await detectPasses(detector, image);
    const detected = passes.base;
    const centre = centredFaceIndex(
      detected.map((f) => f.box),
      info.width,
      info.height,
    );
    const centredBox = centre >= 0 ? (detected[centre]!.box as [number, number, number, number]) : undefined;
    if (centre >= 0 && kind === 'normal') originals.set(photo, { face: detected[centre]!, width: info.width, height: info.height });
    if (only && only !== kind) return { faces: [], centredBox };
    const windowed = VARIANTS.window
      ? await refineLandmarks(detector, image, await detector.detectWithMirroredLandmarks(image), windowViews)
      : [];
    const oracle = kind === 'hard' && centre >= 0 ? oracleLandmarks(photo, image) : undefined;
    const all = { ...Object.fromEntries(PASSES.map((p) => [p, []])), ...passes } as Record<Pass, DetectedFace[]>;
    const views = detected.map((face, i) => {
      const matched = Object.fromEntries(PASSES.map((p) => [p, p === 'base' ? face : twinOf(face, all[p])])) as Record<
        Pass,
        DetectedFace | undefined
      >;
      const scaleOf = Math.hypot(face.landmarks[0]![0] - face.landmarks[3]![0], face.landmarks[0]![1] - face.landmarks[3]![1]) || 1;
      for (const p of PASSES) {
        const m = matched[p];
        if (!m || p === 'base') continue;
        const o = (offsets[`${kind} ${p}`] ??= { dx: 0, dy: 0, n: 0, spread: 0 });
        m.landmarks.forEach(([x, y], n) => {
          const dx = (x - face.landmarks[n]![0]) / scaleOf;
          const dy = (y - face.landmarks[n]![1]) / scaleOf;
          o.dx += dx;
          o.dy += dy;
          o.spread += Math.hypot(dx, dy);
          o.n++;
        });
      }
      const variants = Object.fromEntries(
        Object.entries(VARIANTS).map(([name, ps]) => {
          const found = ps.map((p) => matched[p]).filter((f): f is DetectedFace => f !== undefined);
          const landmarks =
            name === 'oracle' && i === centre && oracle
              ? oracle
              : name === 'window'
                ? windowed[i]!.landmarks
                : found.length > 0
                  ? meanLandmarks(found)
                  : face.landmarks;
          return [name, { ...face, landmarks }];
        }),
      ) as Record<string, DetectedFace>;
      if (i === centre && oracle) {
        for (const [name, v] of Object.entries(variants)) {
          const e = (errors[name] ??= { sum: 0, n: 0 });
          v.landmarks.forEach(([x, y], n) => {
            e.sum += Math.hypot(x - oracle[n]![0], y - oracle[n]![1]) / scaleOf;
            e.n++;
          });
        }
      }
      return variants;
    });
    const names = Object.keys(VARIANTS);
    const flat = views.flatMap((v) => names.map((n) => v[n]!));
    const forEmbedding = flat.map((f) => alignFace(image, f.landmarks, EMBEDDING_INTERPOLATION));
    const embeddings = await embedder.embed([...forEmbedding, ...forEmbedding.map((crop) => mirrorAligned(crop))]);
    const faces = flat.map((face, j) => {
      const i = Math.floor(j / names.length);
      const aligned = alignFace(image, face.landmarks);
      return {
        variant: names[j % names.length]!,
        face: {
          photo,
          identity: i === centre ? identity : null,
          centred: i === centre,
          quality: Math.round(faceQuality({ face, aligned, scale: 1 }).quality * 1e4) / 1e4,
          embedding: round(embeddings[j]!),
          mirror: round(embeddings[j + flat.length]!),
        } satisfies CachedFace,
      };
    });
    return { faces, centredBox };
  };

  for (const set of sets) {
    const out: Record<string, { normal: CachedFace[]; hard: CachedFace[] }> = Object.fromEntries(
      Object.keys(VARIANTS).map((v) => [v, { normal: [], hard: [] }]),
    );
    await analyseLabelledSet(shared, set, analyse, (kind, faces) => faces.forEach(({ variant, face }) => out[variant]![kind].push(face)));
    for (const [name, { normal, hard }] of Object.entries(out)) {
      fs.mkdirSync(path.join(outDir, name), { recursive: true });
      if (only !== 'hard') fs.writeFileSync(path.join(outDir, name, `${set}.json`), JSON.stringify(normal));
      if (only !== 'normal') fs.writeFileSync(path.join(outDir, name, `hard-${set}.json`), JSON.stringify(hard));
    }
    console.log('wrote', set, Object.values(out)[0]!.normal.length, Object.values(out)[0]!.hard.length);
    for (const [k, e] of Object.entries(errors))
      console.log(`  ${k}: mean landmark distance from the original's ${Math.round((e.sum / e.n) * 1e4) / 1e4} (eye-mouth units)`);
    for (const [k, o] of Object.entries(offsets)) {
      const r = (x: number): number => Math.round(x * 1e4) / 1e4;
      console.log(
        `  ${k}: mean offset (${r(o.dx / o.n)}, ${r(o.dy / o.n)}) mean distance ${r(o.spread / o.n)} (eye-mouth units), ${o.n / 5} faces`,
      );
    }
  }
}

void main();
