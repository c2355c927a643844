import fs from 'node:fs';
import path from 'node:path';
import { degradationFor, degradedFace } from './hard-set';

type Box4 = [number, number, number, number];

/** A photo analysed by a people bench: its faces, and the box of its centred (labelled) face, if any. */
export interface AnalysedPhoto<Face> {
  faces: Face[];
  centredBox?: Box4;
}

/** The labelled sets the people benches cache: their folder under ../shared/photos and its images subfolder. */
const LABELLED_SETS: Record<string, [folder: string, images: string]> = {
  celebs: ['faces-celebs', ''],
  lfw: ['faces-lfw-dev', 'images'],
};

/**
 * Walks one labelled set of ../shared (`celebs` or `lfw`; `<folder>/labels.csv`: file, identity; `MULTI:`
 * rows have no single identity) the way every people bench builds its embedding caches: each photo
 * analysed as it is ('normal'), and, when its centred face is labelled, that face cropped tight and
 * degraded the way hard-set.ts does ('hard'). One walker, so the caches the benches compare are made from
 * the same faces. Logs its progress every 200 photos.
 */
export async function analyseLabelledSet<Face>(
  shared: string,
  set: string,
  analyse: (input: string | Buffer, photo: string, identity: string | null) => Promise<AnalysedPhoto<Face>>,
  take: (kind: 'normal' | 'hard', faces: Face[]) => void,
): Promise<void> {
  const [folder, images] = LABELLED_SETS[set] ?? [];
  if (folder === undefined || images === undefined)
    throw new Error(`unknown labelled set ${set}: ${Object.keys(LABELLED_SETS).join(', ')}`);
  const photosDir = path.join(shared, 'photos', folder);
  const [, ...rows] = fs.readFileSync(path.join(photosDir, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
  let done = 0;
  for (const row of rows) {
    const [file, label] = row.split(',');
    const identity = label && !label.startsWith('MULTI:') ? label : null;
    const full = path.join(photosDir, images, file!);
    const { faces, centredBox } = await analyse(full, file!, identity);
    take('normal', faces);
    if (identity && centredBox) {
      const crop = await degradedFace(full, centredBox, degradationFor(file!));
      take('hard', (await analyse(crop, `hard/${file}`, identity)).faces);
    }
    if (++done % 200 === 0) console.log(set, done, rows.length, new Date().toISOString());
  }
}
