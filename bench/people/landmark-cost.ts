/**
 * What averaging the landmarks with the mirror image's costs at indexing: analyzeFaces over a spread of
 * real photos (portraits, LFW, group photos) with and without `refineLandmarks`, alternating, best of
 * three rounds. Run under cpu-exclusive: npx vite-node bench/people/landmark-cost.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeFaces } from '../../src/engine/ml/faces/face-analyzer';
import type { RgbImage } from '../../src/engine/imaging/rgb-image';
import { benchFaceModels, SHARED_DIR } from './face-models';

const shared = SHARED_DIR;

async function decode(file: string): Promise<RgbImage> {
  // The spine's analysis size: long side at most 1600, never enlarged.
  const { data, info } = await sharp(file)
    .rotate()
    .resize(1600, 1600, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

async function main(): Promise<void> {
  const { detector, embedder } = await benchFaceModels(shared);
  const celebs = fs.readdirSync(path.join(shared, 'photos', 'faces-celebs')).filter((f) => f.endsWith('.jpg'));
  const lfw = fs.readdirSync(path.join(shared, 'photos', 'faces-lfw-dev', 'images')).slice(0, 100);
  const groups = fs.readdirSync(path.join(shared, 'photos', 'groups')).filter((f) => f.endsWith('.jpg'));
  const files = [
    ...celebs.map((f) => path.join(shared, 'photos', 'faces-celebs', f)),
    ...lfw.map((f) => path.join(shared, 'photos', 'faces-lfw-dev', 'images', f)),
    ...groups.map((f) => path.join(shared, 'photos', 'groups', f)),
  ];
  const images = await Promise.all(files.map(decode));
  const best = { on: Infinity, off: Infinity };
  let faces = 0;
  for (let round = 0; round < 3; round++) {
    for (const refineLandmarks of [false, true]) {
      const started = performance.now();
      let found = 0;
      for (const image of images) found += (await analyzeFaces(image, { detector, embedder, scale: 1, refineLandmarks })).length;
      const ms = performance.now() - started;
      const key = refineLandmarks ? 'on' : 'off';
      best[key] = Math.min(best[key], ms);
      faces = found;
    }
  }
  const r = (x: number): number => Math.round(x * 100) / 100;
  console.log(
    `${images.length} photos, ${faces} faces: analyzeFaces ${r(best.off)} ms without, ${r(best.on)} ms with refined landmarks; ` +
      `+${r((best.on - best.off) / images.length)} ms per photo, per face ${r(best.off / faces)} → ${r(best.on / faces)} ms`,
  );
}

void main();
