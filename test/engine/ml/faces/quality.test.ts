import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE, alignFace } from '../../../../src/engine/ml/faces/align';
import type { YuNetDetector } from '../../../../src/engine/ml/faces/detector';
import { estimatePose, faceQuality, poseDeviation, type FaceQuality } from '../../../../src/engine/ml/faces/quality';
import type { Point } from '../../../../src/common/api/library';
import { describeWithShared, sharedPhotos } from '../../../support/shared';
import { createDetector } from './face-models';
import { loadPhoto } from './load-photo';

describe('pose from landmarks', () => {
  const frontal = ARCFACE_TEMPLATE as Point[];
  it('reads the ArcFace template as frontal and upright', () => {
    const { yawRatio, rollDegrees } = estimatePose(frontal);
    expect(Math.abs(yawRatio)).toBeLessThan(0.05);
    expect(Math.abs(rollDegrees)).toBeLessThan(0.5);
    expect(poseDeviation(frontal)).toBeLessThan(0.05);
  });

  it('reads a nose moved onto an eye column as a profile, whichever side', () => {
    for (const eye of [0, 1]) {
      const turned = frontal.map((p, i) => (i === 2 ? ([frontal[eye]![0], p[1]] as Point) : p));
      expect(poseDeviation(turned)).toBeGreaterThan(0.9);
    }
  });

  it('reads roll from the eye line, without mistaking it for yaw', () => {
    const angle = (30 * Math.PI) / 180;
    const rolled = frontal.map(([x, y]) => [x * Math.cos(angle) - y * Math.sin(angle), x * Math.sin(angle) + y * Math.cos(angle)] as Point);
    const { yawRatio, rollDegrees } = estimatePose(rolled);
    expect(rollDegrees).toBeCloseTo(30, 0);
    expect(Math.abs(yawRatio)).toBeLessThan(0.05);
  });
});

describeWithShared('face quality on real photos', () => {
  let detector: YuNetDetector;
  beforeAll(async () => {
    detector = await createDetector();
  });

  /** Quality of the largest face in a photo given as a file or an encoded buffer. */
  async function qualityOf(input: string | Buffer, scale = 1): Promise<FaceQuality> {
    const { image } = await loadPhoto(input);
    const face = (await detector.detect(image)).sort((a, b) => b.box[2] - a.box[2])[0];
    expect(face).toBeDefined();
    return faceQuality({ face: face!, aligned: alignFace(image, face!.landmarks), scale });
  }

  const portrait = sharedPhotos('faces-celebs', 'img17.jpg');

  it('rates a sharp, large, frontal portrait highly with nothing to explain', async () => {
    const q = await qualityOf(portrait);
    expect(q.quality).toBeGreaterThan(0.8);
    expect(q.blur).toBeLessThan(0.1);
    expect(q.explanation).toBe('');
  });

  it('sees blur: a Gaussian blur of the photo raises blur and lowers quality', async () => {
    const sharpQ = await qualityOf(portrait);
    const blurredQ = await qualityOf(await sharp(portrait).blur(6).jpeg().toBuffer());
    expect(blurredQ.blur).toBeGreaterThan(sharpQ.blur + 0.5);
    expect(blurredQ.quality).toBeLessThan(sharpQ.quality / 2);
    expect(blurredQ.explanation).toContain('blurred');
  });

  it('sees size: the same face shrunk to ~20 px is rated far lower and explained as small', async () => {
    const bigQ = await qualityOf(portrait);
    const { width } = await sharp(portrait).metadata();
    const tiny = await sharp(portrait)
      .resize({ width: Math.round(width! * (20 / bigQ.size)) })
      .png()
      .toBuffer();
    const tinyQ = await qualityOf(tiny);
    expect(tinyQ.size).toBeLessThan(30);
    expect(tinyQ.quality).toBeLessThan(0.3);
    expect(tinyQ.explanation).toMatch(/small/);
  });

  it('reports size in original pixels through the scale argument', async () => {
    const [atOne, atHalf] = [await qualityOf(portrait, 1), await qualityOf(portrait, 0.5)];
    expect(atHalf.size).toBeCloseTo(atOne.size * 2, 6);
    expect(atHalf.quality).toBeCloseTo(atOne.quality, 6);
  });

  it('rates a face and its mirror image alike (pose has no handedness)', async () => {
    const mirrored = await sharp(sharedPhotos('faces-album', 'overlap_4.jpg')).flop().png().toBuffer();
    const [a, b] = [await qualityOf(sharedPhotos('faces-album', 'overlap_4.jpg')), await qualityOf(mirrored)];
    // The largest face here is turned well away (pose ~0.8); a one-sided yaw bug would read its mirror
    // as frontal. YuNet's landmarks are not exactly mirror-symmetric, hence the tolerance (measured 0.16).
    expect(Math.min(a.pose, b.pose)).toBeGreaterThan(0.5);
    expect(Math.abs(a.pose - b.pose)).toBeLessThan(0.25);
  });
});
