import { expect, it } from 'vitest';
import { unmirrorFace, withMirroredLandmarks } from '../../../../src/engine/ml/faces/mirrored-landmarks';
import type { DetectedFace } from '../../../../src/engine/ml/faces/types';

it('puts a face found in the mirror image back, left and right swapped, and averages it with its twin', () => {
  const face: DetectedFace = {
    box: [10, 20, 30, 40],
    score: 0.9,
    landmarks: [
      [18, 30],
      [32, 31],
      [25, 40],
      [20, 50],
      [30, 51],
    ],
  };
  const back = unmirrorFace(face, 100);
  expect(back.box).toEqual([60, 20, 30, 40]);
  expect(back.landmarks).toEqual([
    [68, 31],
    [82, 30],
    [75, 40],
    [70, 51],
    [80, 50],
  ]);
  expect(unmirrorFace(back, 100)).toEqual(face);
  const shifted: DetectedFace = { ...face, box: [11, 20, 30, 40], landmarks: face.landmarks.map(([x, y]) => [x + 2, y - 1]) };
  const elsewhere: DetectedFace = { ...face, box: [60, 20, 30, 40] };
  const [averaged, alone] = withMirroredLandmarks([face, elsewhere], [shifted]);
  expect(averaged!.landmarks).toEqual(face.landmarks.map(([x, y]) => [x + 1, y - 0.5]));
  expect(averaged!.box).toEqual(face.box);
  expect(alone).toEqual(elsewhere);
});
