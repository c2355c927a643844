import fs from 'node:fs';
import path from 'node:path';
import { sharedPhotos } from '../../support/shared';
export { seededRandom } from '../../../bench/seeded-random';

/** A small real set: single faces and two-face photos from ../shared faces-album. */
export const ALBUM_SAMPLE = [
  '1.jpg',
  '2.jpg',
  '3.jpg',
  '4.jpg',
  '5.jpg',
  '6.jpg',
  '7.jpg',
  '8.jpg',
  'overlap_1.jpg',
  'overlap_2.jpg',
  'overlap_3.jpg',
  'overlap_4.jpg',
];

export function copyAlbumPhotos(names: readonly string[], destination: string): string[] {
  fs.mkdirSync(destination, { recursive: true });
  return names.map((name) => {
    const target = path.join(destination, name);
    fs.copyFileSync(sharedPhotos('faces-album', name), target);
    fs.chmodSync(target, 0o644); // ../shared is read-only; copies must be editable by the tests
    return target;
  });
}
