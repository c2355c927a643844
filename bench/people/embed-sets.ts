/**
 * Embeds the labelled face sets of ../shared once (every face: original and mirror image) and the hard
 * set made from them (the centred face cropped tight, 60-120 px, blurred, re-compressed), caching the
 * result as JSON so the people experiments (bench/people/*.ts) never detect a photo twice.
 * Run: npx vite-node bench/people/embed-sets.ts [cacheDir]
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { alignFace } from '../../src/engine/ml/faces/align';
import { LANDMARK_VIEWS, refineEnlargedFaces } from '../../src/engine/ml/faces/landmark-refinement';
import { faceQuality, type FaceQuality } from '../../src/engine/ml/faces/quality';
import { centredFaceIndex } from './centred-face';
import { analyseLabelledSet } from './labelled-set';
import { embedFaceViews } from '../../src/engine/ml/faces/face-analyzer';
import { benchFaceModels, SHARED_DIR } from './face-models';

const shared = SHARED_DIR;
const cacheDir = process.argv[2] ?? '/tmp/facet-learning-cache';
/** Production's landmark views, or others to compare (WINDOW_SIDES=64,128 WHOLE_IMAGE_MIRROR=0 ENLARGED_ABOVE=1.25). */
const views = {
  ...LANDMARK_VIEWS,
  ...(process.env.WINDOW_SIDES ? { faceSides: process.env.WINDOW_SIDES.split(',').map(Number) } : {}),
  ...(process.env.WHOLE_IMAGE_MIRROR ? { wholeImageMirror: process.env.WHOLE_IMAGE_MIRROR === '1' } : {}),
  ...(process.env.ENLARGED_ABOVE ? { enlargedAbove: Number(process.env.ENLARGED_ABOVE) } : {}),
};
/** Production's alignment jitter of enlarged faces, or none (JITTER=0). */
const jitterEnlarged = process.env.JITTER !== '0';

export interface CachedFace {
  photo: string;
  identity: string | null;
  centred: boolean;
  quality: number;
  /** The resolution factor of its quality (absent in caches written before it was kept). */
  resolution?: number;
  embedding: number[];
  mirror: number[];
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const qualityOf = ({ quality, resolution }: FaceQuality): { quality: number; resolution: number } => ({
  quality: round4(quality),
  resolution: round4(resolution),
});
const round = (v: Float32Array): number[] => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);

async function main(): Promise<void> {
  const { detector, embedder } = await benchFaceModels(shared);
  fs.mkdirSync(cacheDir, { recursive: true });
  const analyse = async (
    input: string | Buffer,
    photo: string,
    identity: string | null,
  ): Promise<{ faces: CachedFace[]; centredBox?: [number, number, number, number] }> => {
    const { data, info } = await sharp(input).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = { data: new Uint8Array(data), width: info.width, height: info.height };
    // As analyzeFaces does: landmarks refined over several looks, quality reads the bilinear warp, the
    // embedder bicubic ones of each face's alignments; the face's views and their mirrors are kept apart
    // (flow.ts --tta pools them as analyzeFaces does).
    const detected = await refineEnlargedFaces(detector, image, await detector.detect(image), image, 1, views);
    const aligned = detected.map((f) => alignFace(image, f.landmarks));
    const { plain, mirrored } = await embedFaceViews(embedder, image, detected, { jitterEnlarged, mirror: true });
    const centre = centredFaceIndex(
      detected.map((f) => f.box),
      info.width,
      info.height,
    );
    const faces = detected.map((face, i) => ({
      photo,
      identity: i === centre ? identity : null,
      centred: i === centre,
      ...qualityOf(faceQuality({ face, aligned: aligned[i]!, scale: 1 })),
      embedding: round(plain[i]!),
      mirror: round(mirrored![i]!),
    }));
    return { faces, ...(centre >= 0 ? { centredBox: detected[centre]!.box as [number, number, number, number] } : {}) };
  };
  for (const set of ['celebs', 'lfw']) {
    const out = path.join(cacheDir, `${set}.json`);
    if (fs.existsSync(out) && fs.existsSync(path.join(cacheDir, `hard-${set}.json`))) continue;
    const normal: CachedFace[] = [];
    const hard: CachedFace[] = [];
    await analyseLabelledSet(shared, set, analyse, (kind, faces) => (kind === 'normal' ? normal : hard).push(...faces));
    fs.writeFileSync(out, JSON.stringify(normal));
    fs.writeFileSync(path.join(cacheDir, `hard-${set}.json`), JSON.stringify(hard));
    console.log('wrote', set, normal.length, hard.length);
  }
}

void main();
