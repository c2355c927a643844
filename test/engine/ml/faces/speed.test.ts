import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../../src/engine/imaging/rgb-image';
import { alignFace } from '../../../../src/engine/ml/faces/align';
import { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import { FaceEmbedder } from '../../../../src/engine/ml/faces/embedder';
import { analyzeFaces } from '../../../../src/engine/ml/faces/face-analyzer';
import { describeWithShared, sharedPhotos } from '../../../support/shared';
import { cpuSession, MOBILEFACENET, YUNET_DYNAMIC } from './face-models';

/**
 * Speed MEASUREMENT of the face stage (not a timed test: it asserts nothing about time, only prints).
 * Skipped unless FACET_MEASURE_SPEED=1: `FACET_MEASURE_SPEED=1 npx vitest run --project engine test/engine/ml/faces/speed`.
 * Prints wall and CPU milliseconds (process CPU, all threads) per call, median of the runs. CPU time is
 * the number that matters for "25 photos/s on 2 cores" (80 CPU-ms per photo for everything) and it
 * stays meaningful when other processes load the machine. Sessions use one intra-op thread.
 */
const MEASURE = process.env.FACET_MEASURE_SPEED === '1';

async function rgb(file: string, width: number): Promise<RgbImage> {
  const { data, info } = await sharp(file).rotate().resize({ width }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

async function measure(name: string, fn: () => Promise<unknown> | unknown, runs = 15): Promise<void> {
  await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  console.info(`${name.padEnd(48)} wall ${median(wall).toFixed(1).padStart(6)} ms   cpu ${median(cpu).toFixed(1).padStart(6)} ms`);
}

(MEASURE ? describeWithShared : describe.skip)('face stage speed [FACET_MEASURE_SPEED=1 to run]', () => {
  let detector: YuNetDetector;
  let fullResolution: YuNetDetector;
  let embedder: FaceEmbedder;
  let images: [string, RgbImage][];
  beforeAll(async () => {
    [detector, fullResolution, embedder] = await Promise.all([
      cpuSession(YUNET_DYNAMIC, 1).then((s) => YuNetDetector.fromSession(s)),
      cpuSession(YUNET_DYNAMIC, 1).then((s) => YuNetDetector.fromSession(s, { inputLongSide: Infinity })),
      cpuSession(MOBILEFACENET, 1).then((s) => FaceEmbedder.fromSession(s)),
    ]);
    const portrait = sharedPhotos('faces-celebs', 'img13.jpg');
    images = [
      ['portrait 1600x1066', await rgb(portrait, 1600)],
      ['portrait 1024x682', await rgb(portrait, 1024)],
      ['portrait 640x426', await rgb(portrait, 640)],
      ['LFW 250x250', await rgb(sharedPhotos('faces-lfw-dev', 'images', 'Aaron_Peirsol_0001.jpg'), 250)],
      ['group of 14, 1024x768', await rgb(sharedPhotos('groups', '6.jpg'), 1024)],
    ];
  });

  it('measures detection, alignment, embedding and the whole analyzeFaces', async () => {
    for (const [name, image] of images) await measure(`detect ${name}`, () => detector.detect(image));
    for (const [name, image] of images.slice(0, 2)) await measure(`detect FULL RES ${name}`, () => fullResolution.detect(image), 5);
    for (const [name, image] of [images[0]!, images[4]!])
      await measure(`analyzeFaces ${name}`, () => analyzeFaces(image, { detector, embedder, scale: 1 }));
    const image = images[0]![1];
    const [face] = await detector.detect(image);
    expect(face).toBeDefined();
    const crop = alignFace(image, face!.landmarks);
    await measure('align one face', () => alignFace(image, face!.landmarks));
    await measure('embed 1 face', () => embedder.embed([crop]));
    await measure('embed 8 faces in one batch', () => embedder.embed(Array<Uint8Array>(8).fill(crop)));
  });
});
