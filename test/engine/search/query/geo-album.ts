import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Library } from '../../../../src/engine/library/library';
import { sharedPhotos } from '../../../support/shared';
import { registerFaces } from '../../../../src/engine/library/face-store';
import { createPerson } from '../../../../src/engine/library/people-store';
import { PhotoStore } from '../../../../src/engine/library/photo-store';

/**
 * A small geotagged album made from real photos in ../shared/photos/objects: copies with the EXIF
 * capture date and GPS each query test needs (written by sharp, read back by Facet's own exifr path),
 * and the people shown in them. Shared by the engine's query tests and the app's e2e.
 */
export const TODAY = '2026-11-27';
export const HAEUNDAE = { lat: 35.1587, lon: 129.1604 }; // Busan's beach: nearest GeoNames point is the Dongnae district
const BUSAN_PORT = { lat: 35.1028, lon: 129.0403 };
const SEOUL = { lat: 37.5665, lon: 126.978 };
const EIFFEL = { lat: 48.8584, lon: 2.2945 };
const SYDNEY = { lat: -33.8568, lon: 151.2153 };
const TOKYO = { lat: 35.6895, lon: 139.6917 };

/** Real photos from ../shared, copied with the EXIF date and GPS each test needs (written by sharp, read back by exifr). */
export const PHOTOS: Record<string, { from: string; date?: string; gps?: { lat: number; lon: number } }> = {
  'a-busan-2025.jpg': { from: 'beach_sand.jpg', date: '2025:08:10 11:00:00', gps: HAEUNDAE },
  'b-busan-2026.jpg': { from: 'palms_beach.jpg', date: '2026:07:20 16:30:00', gps: BUSAN_PORT },
  'c-seoul.jpg': { from: 'dog_toshi_red.jpg', date: '2025:11:03 09:00:00', gps: SEOUL },
  'd-paris.jpg': { from: 'building_mono.jpg', date: '2021:07:04 20:00:00', gps: EIFFEL },
  'e-sydney-january.jpg': { from: 'ocean_cyan.jpg', date: '2026:01:15 12:00:00', gps: SYDNEY },
  'f-sydney-july.jpg': { from: 'jellyfish_blue.jpg', date: '2025:07:10 12:00:00', gps: SYDNEY },
  'g-yesterday.jpg': { from: 'cat_black.jpg', date: '2026:11:26 18:00:00' },
  'h-no-exif.jpg': { from: 'dog_orange.jpg' },
  'i-2023.jpg': { from: 'limes.jpg', date: '2023:03:05 10:00:00' },
  'j-tokyo-2019.jpg': { from: 'coin_gold.jpg', date: '2019:05:05 10:00:00', gps: TOKYO },
};
export const PEOPLE: Record<string, string[]> = {
  'Mina Kim': ['a-busan-2025.jpg', 'b-busan-2026.jpg', 'd-paris.jpg'],
  김민지: ['a-busan-2025.jpg', 'c-seoul.jpg', 'e-sydney-january.jpg'],
  'Mina Park': ['i-2023.jpg'],
};

function gpsExif(gps: { lat: number; lon: number }) {
  const dms = (v: number) => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    return `${d}/1 ${m}/1 ${Math.round(((a - d) * 60 - m) * 60 * 10000)}/10000`;
  };
  return {
    GPSLatitudeRef: gps.lat < 0 ? 'S' : 'N',
    GPSLatitude: dms(gps.lat),
    GPSLongitudeRef: gps.lon < 0 ? 'W' : 'E',
    GPSLongitude: dms(gps.lon),
  };
}

/** Writes the album into `folder`. */
export async function writeGeoPhotos(folder: string): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, spec] of Object.entries(PHOTOS)) {
    const exif = { ...(spec.date ? { IFD2: { DateTimeOriginal: spec.date } } : {}), ...(spec.gps ? { IFD3: gpsExif(spec.gps) } : {}) };
    const image = sharp(sharedPhotos('objects', spec.from));
    await (spec.date || spec.gps ? image.withExif(exif) : image).jpeg().toFile(path.join(folder, name));
  }
}

/** Faces of named people, as naming a cluster leaves them (face detection is tested elsewhere). */
export function namePeople(library: Library, folder: string): void {
  for (const [person, files] of Object.entries(PEOPLE)) {
    const personId = createPerson(library.db, person);
    for (const file of files) {
      const photoId = new PhotoStore(library.db).idByPath(path.join(folder, file))!;
      registerFaces(library.db, photoId, 'test', [
        { box: [0, 0, 10, 10], score: 0.9, landmarks: [], quality: 1, personId, assignment: 'confirmed' },
      ]);
    }
  }
}
