/**
 * Embedding variants for degraded faces, measured on all four sets in one pass (one detection per photo):
 * for every face it embeds the plain aligned crop, jittered crops (scale/shift), a bicubic alignment,
 * alignments from a slightly smoothed (deblocking) or sharpened source, each with its mirror, and records
 * the quality measures' raw inputs (size, sharpness, pose, detector score, JPEG blocking). Writes one cache directory per variant
 * in embed-sets.ts's format (embedding = mean of the views, mirror = mean of their mirrors), so
 * flow.ts / pairs-by-quality.ts run on each unchanged:
 *   FACET_LEARNING_CACHE=<out>/<variant> npx vite-node bench/people/flow.ts -- hard-lfw --tta
 * Run: npx vite-node bench/people/embed-variants.ts -- <outDir> [sets, default celebs,lfw]
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ARCFACE_TEMPLATE, ALIGNED_SIZE, estimateSimilarity, invertSimilarity } from '../../src/engine/ml/faces/align';
import { faceQuality, laplacianVariance } from '../../src/engine/ml/faces/quality';
import { jpegBlocking } from './jpeg-blocking';
import { mirrorAligned } from '../../src/engine/ml/faces/mirror';
import type { RgbImage } from '../../src/engine/imaging/rgb-image';
import type { Point } from '../../src/common/api/library';
import { centredFaceIndex } from './centred-face';
import { analyseLabelledSet } from './labelled-set';
import type { CachedFace } from './embed-sets';
import { benchFaceModels, SHARED_DIR } from './face-models';

const args = process.argv.slice(2).filter((a) => a !== '--');
const shared = SHARED_DIR;
const outDir = args[0] ?? '/tmp/facet-peoplef1-variants';
const sets = (args[1] ?? 'celebs,lfw').split(',');

type Interpolation = 'bilinear' | 'bicubic';
interface View {
  scale: number;
  dx: number;
  dy: number;
  interpolation: Interpolation;
  /** The source as decoded, slightly smoothed (Gaussian σ 0.6: deblocking) or sharpened (unsharp mask σ 0.7). */
  source: Source;
}
type Source = 'decoded' | 'smoothed' | 'sharpened';
const plain: View = { scale: 1, dx: 0, dy: 0, interpolation: 'bilinear', source: 'decoded' };
const cubic: View = { ...plain, interpolation: 'bicubic' };
const VIEWS: Record<string, View[]> = {
  plain: [plain],
  jitter: [plain, { ...plain, scale: 0.95 }, { ...plain, scale: 1.05 }, { ...plain, dx: 2, dy: 2 }, { ...plain, dx: -2, dy: -2 }],
  bicubic: [cubic],
  smoothed: [{ ...plain, source: 'smoothed' }],
  'bicubic-sharpened': [{ ...cubic, source: 'sharpened' }],
  'bicubic-jitter': [cubic, { ...cubic, scale: 0.95 }, { ...cubic, scale: 1.05 }, { ...cubic, dx: 2, dy: 2 }, { ...cubic, dx: -2, dy: -2 }],
};
const DISTINCT: View[] = [
  ...new Map(
    Object.values(VIEWS)
      .flat()
      .map((v) => [JSON.stringify(v), v]),
  ).values(),
];

export interface VariantFace extends CachedFace {
  size: number;
  sharpnessLog: number;
  pose: number;
  score: number;
  blocking: number;
}

/** Aligns with the template scaled about its centre and shifted (template pixels), bilinear or bicubic. */
function alignView(image: RgbImage, landmarks: readonly Point[], view: View): Uint8Array {
  const cx = ARCFACE_TEMPLATE.reduce((s, p) => s + p[0], 0) / 5;
  const cy = ARCFACE_TEMPLATE.reduce((s, p) => s + p[1], 0) / 5;
  const template = ARCFACE_TEMPLATE.map(([x, y]): Point => [cx + view.scale * (x - cx) + view.dx, cy + view.scale * (y - cy) + view.dy]);
  const { a, b, tx, ty } = invertSimilarity(estimateSimilarity(landmarks, template));
  const out = new Uint8Array(ALIGNED_SIZE * ALIGNED_SIZE * 3);
  const sample = view.interpolation === 'bicubic' ? bicubic : bilinear;
  for (let y = 0, o = 0; y < ALIGNED_SIZE; y++) {
    for (let x = 0; x < ALIGNED_SIZE; x++, o += 3) sample(image, a * x - b * y + tx, b * x + a * y + ty, out, o);
  }
  return out;
}

function pixel(image: RgbImage, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return 0;
  return image.data[(y * image.width + x) * 3 + c]!;
}

function bilinear(image: RgbImage, sx: number, sy: number, out: Uint8Array, o: number): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  for (let c = 0; c < 3; c++) {
    const v =
      pixel(image, x0, y0, c) * (1 - fx) * (1 - fy) +
      pixel(image, x0 + 1, y0, c) * fx * (1 - fy) +
      pixel(image, x0, y0 + 1, c) * (1 - fx) * fy +
      pixel(image, x0 + 1, y0 + 1, c) * fx * fy;
    out[o + c] = Math.round(v);
  }
}

/** OpenCV's INTER_CUBIC kernel (a = -0.75). */
function cubicWeights(t: number): [number, number, number, number] {
  const a = -0.75;
  const w = (d: number): number => {
    const x = Math.abs(d);
    return x <= 1 ? (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1 : x < 2 ? a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a : 0;
  };
  return [w(1 + t), w(t), w(1 - t), w(2 - t)];
}

function bicubic(image: RgbImage, sx: number, sy: number, out: Uint8Array, o: number): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const wx = cubicWeights(sx - x0);
  const wy = cubicWeights(sy - y0);
  for (let c = 0; c < 3; c++) {
    let v = 0;
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) v += wx[i]! * wy[j]! * pixel(image, x0 - 1 + i, y0 - 1 + j, c);
    out[o + c] = Math.max(0, Math.min(255, Math.round(v)));
  }
}

const round = (v: ArrayLike<number>): number[] => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
const unitMean = (vs: Float32Array[]): Float32Array => {
  const m = new Float32Array(vs[0]!.length);
  for (const v of vs) v.forEach((x, d) => (m[d]! += x / Math.hypot(...v)));
  const n = Math.hypot(...m) || 1;
  return m.map((x) => x / n);
};

async function decode(input: string | Buffer, source: Source): Promise<RgbImage> {
  const pipeline = sharp(input).rotate().removeAlpha();
  const filtered = source === 'smoothed' ? pipeline.blur(0.6) : source === 'sharpened' ? pipeline.sharpen({ sigma: 0.7 }) : pipeline;
  const { data, info } = await filtered.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

async function main(): Promise<void> {
  const { detector, embedder } = await benchFaceModels(shared);

  const analyse = async (input: string | Buffer, photo: string, identity: string | null) => {
    const sources = {
      decoded: await decode(input, 'decoded'),
      smoothed: await decode(input, 'smoothed'),
      sharpened: await decode(input, 'sharpened'),
    };
    const image = sources.decoded;
    const detected = await detector.detect(image);
    const centre = centredFaceIndex(
      detected.map((f) => f.box),
      image.width,
      image.height,
    );
    const crops = detected.flatMap((f) => DISTINCT.map((v) => alignView(sources[v.source], f.landmarks, v)));
    const embedded = await embedder.embed([...crops, ...crops.map((c) => mirrorAligned(c))]);
    const faces = detected.map((face, i) => {
      const plainCrop = crops[i * DISTINCT.length]!;
      const q = faceQuality({ face, aligned: plainCrop, scale: 1 });
      const [x, y, w, h] = face.box;
      const variants = Object.fromEntries(
        Object.entries(VIEWS).map(([name, views]) => {
          const at = views.map((v) => i * DISTINCT.length + DISTINCT.findIndex((d) => JSON.stringify(d) === JSON.stringify(v)));
          return [name, { embedding: unitMean(at.map((k) => embedded[k]!)), mirror: unitMean(at.map((k) => embedded[k + crops.length]!)) }];
        }),
      );
      return {
        face: {
          photo,
          identity: i === centre ? identity : null,
          centred: i === centre,
          quality: Math.round(q.quality * 1e4) / 1e4,
          size: q.size,
          sharpnessLog: Math.log10(laplacianVariance(plainCrop) + 1),
          pose: q.pose,
          score: face.score,
          blocking: jpegBlocking(image, [x, y, w, h]),
        },
        variants,
      };
    });
    return { faces, centredBox: centre >= 0 ? (detected[centre]!.box as [number, number, number, number]) : undefined };
  };

  for (const set of sets) {
    const out: Record<string, { normal: VariantFace[]; hard: VariantFace[] }> = Object.fromEntries(
      Object.keys(VIEWS).map((v) => [v, { normal: [], hard: [] }]),
    );
    await analyseLabelledSet(shared, set, analyse, (kind, faces) => {
      for (const { face, variants } of faces) {
        for (const [name, { embedding, mirror }] of Object.entries(variants)) {
          out[name]![kind].push({ ...face, embedding: round(embedding), mirror: round(mirror) });
        }
      }
    });
    for (const [name, { normal, hard }] of Object.entries(out)) {
      fs.mkdirSync(path.join(outDir, name), { recursive: true });
      fs.writeFileSync(path.join(outDir, name, `${set}.json`), JSON.stringify(normal));
      fs.writeFileSync(path.join(outDir, name, `hard-${set}.json`), JSON.stringify(hard));
    }
    console.log('wrote', set, out.plain!.normal.length, out.plain!.hard.length);
  }
}

void main();
