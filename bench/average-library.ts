import fs from 'node:fs';
import path from 'node:path';

/**
 * The base of the bench's "average library" (most photos without text; a tenth get a generated sign):
 * photos of ../shared/photos with no legible real text, of people alone, in pairs and small groups, and
 * of things. Chosen on 2026-11-27 by looking at every photo of these folders and by running the full
 * read on each: everything but the photos below.
 */
const LEFT_OUT: Record<string, readonly string[]> = {
  // Real text: the full read found lines, or it can be seen (press backdrops, a shirt's print, a
  // banner, a watermark, a coin's legend, graffiti, a clock's digits).
  'faces-celebs': [
    ...['couple.jpg', 'img1.jpg', 'img2.jpg', 'img3.jpg', 'img4.jpg', 'img5.jpg', 'img6.jpg', 'img23.jpg', 'img26.jpg', 'img28.jpg'],
    ...['img36.jpg', 'img37.jpg', 'img39.jpg', 'img42.jpg', 'img43.jpg', 'img44.jpg', 'img46.jpg', 'img48.jpg', 'img49.jpg'],
    ...['img50.jpg', 'img53.jpg', 'img58.jpg', 'img67.jpg'],
  ],
  'faces-album': ['2.jpg', '7.jpg', 'overlap_4.jpg'],
  objects: ['bitcoin_gold.jpg', 'coin_gold.jpg', 'building_mono.jpg'],
  groups: [
    ...['3.jpg', '5.jpg', '15.jpg', '16.jpg', '17.jpg', '18.jpg', '22.jpg'],
    // Crowds of 14 to 170 faces (face_counts_by_detector.tsv): each costs the face pass many times a
    // family photo, which would flatter the text job's ratio to it.
    ...['1.jpg', '6.jpg', '8.jpg', '10.jpg', '11.jpg', '25.jpg', '26.jpg', '27.jpg'],
  ],
};

/** The chosen photos, interleaved across the folders (portraits, family album, small groups, things), so any prefix is a mix. */
export function averageLibrarySources(sharedPhotosDir: string): string[] {
  const perFolder = Object.entries(LEFT_OUT).map(([folder, leftOut]) =>
    fs
      .readdirSync(path.join(sharedPhotosDir, folder))
      .filter((f) => /\.(jpe?g|png)$/i.test(f) && !leftOut.includes(f))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((f) => path.join(sharedPhotosDir, folder, f)),
  );
  const longest = Math.max(...perFolder.map((files) => files.length));
  return Array.from({ length: longest }, (_, i) => perFolder.flatMap((files) => (i < files.length ? [files[i]!] : []))).flat();
}
