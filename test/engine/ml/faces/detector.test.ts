import fs from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import { describeWithShared, readLabels, sharedPhotos } from '../../../support/shared';
import { createDetector, YUNET_FIXED_640 } from './face-models';
import { loadPhoto } from './load-photo';

/** The reference counts are from several detectors and are not ground truth; `yunet_s` is ours. */
function readGroupCounts(): { file: string; yunetS: number }[] {
  const [, ...rows] = fs.readFileSync(sharedPhotos('groups', 'face_counts_by_detector.tsv'), 'utf8').trim().split(/\r?\n/);
  return rows.map((row) => row.split('\t')).map(([file, yunetS]) => ({ file: file!, yunetS: Number(yunetS) }));
}

async function countFaces(detector: YuNetDetector, file: string): Promise<number> {
  return (await detector.detect((await loadPhoto(file)).image)).length;
}

describeWithShared('YuNetDetector on real photos', () => {
  let detector: YuNetDetector;
  beforeAll(async () => {
    detector = await createDetector();
  });

  it('finds a face in every labelled portrait of faces-celebs', async () => {
    const missed: string[] = [];
    for (const { file } of readLabels(sharedPhotos('faces-celebs', 'labels.csv'))) {
      if ((await countFaces(detector, sharedPhotos('faces-celebs', file!))) === 0) missed.push(file!);
    }
    expect(missed).toEqual([]);
  });

  it('counts the faces of every group photo within 10% of the yunet_s reference', async () => {
    const off: string[] = [];
    for (const { file, yunetS } of readGroupCounts()) {
      const found = await countFaces(detector, sharedPhotos('groups', file));
      if (Math.abs(found - yunetS) > Math.max(1, 0.1 * yunetS)) off.push(`${file}: ${found} vs ${yunetS}`);
    }
    expect(off).toEqual([]);
  });

  it('finds no face in the album photos labelled NONE and the right number in the others', async () => {
    const wrong: string[] = [];
    for (const { file, identity } of readLabels(sharedPhotos('faces-album', 'labels.csv'))) {
      const found = await countFaces(detector, sharedPhotos('faces-album', file!));
      // NONE_OR_HIDDEN (a face hidden by hair) may go either way; MULTI lists the people in the photo.
      const expected =
        identity === 'NONE' ? 0 : identity!.startsWith('MULTI:') ? identity!.split('+').length : identity === 'NONE_OR_HIDDEN' ? found : 1;
      if (found !== expected) wrong.push(`${file} (${identity}): ${found} faces, expected ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it('returns landmarks in template order inside their box', async () => {
    const { image } = await loadPhoto(sharedPhotos('astronaut.png'));
    const [face] = await detector.detect(image);
    expect(face).toBeDefined();
    const [x, y, w, h] = face!.box;
    const [leftEye, rightEye, nose, leftMouth, rightMouth] = face!.landmarks;
    expect(face!.landmarks).toHaveLength(5);
    for (const [px, py] of face!.landmarks) {
      expect(px).toBeGreaterThan(x);
      expect(px).toBeLessThan(x + w);
      expect(py).toBeGreaterThan(y);
      expect(py).toBeLessThan(y + h);
    }
    expect(leftEye![0]).toBeLessThan(rightEye![0]);
    expect(leftMouth![0]).toBeLessThan(rightMouth![0]);
    expect(nose![1]).toBeGreaterThan(leftEye![1]);
    expect(leftMouth![1]).toBeGreaterThan(nose![1]);
  });

  it('works with the fixed 640x640 model by letterboxing, finding the same group faces', async () => {
    const fixed = await createDetector({}, YUNET_FIXED_640);
    for (const file of ['6.jpg', '10.jpg', '1.jpg']) {
      const path = sharedPhotos('groups', file);
      const [a, b] = [await countFaces(detector, path), await countFaces(fixed, path)];
      expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(1, 0.1 * a));
    }
  });
});
