import fs from 'node:fs';
import path from 'node:path';
import { degradationFor, degradedFace } from './hard-set';

type Box4 = [number, number, number, number];

/** A photo analysed by a people bench: its faces, and the box of its centred (labelled) face, if any. */
export interface AnalysedPhoto<Face> {
  faces: Face[];
  centredBox?: Box4;
}

/**
 * Walks one labelled set of ../shared (`<folder>/labels.csv`: file, identity; `MULTI:` rows have no
 * single identity) the way every people bench builds its embedding caches: each photo analysed as it
 * is ('normal'), and, when its centred face is labelled, that face cropped tight and degraded the way
 * hard-set.ts does ('hard'). One walker, so the caches the benches compare are made from the same faces.
 */
export async function analyseLabelledSet<Face>(
  photosDir: string,
  images: string,
  analyse: (input: string | Buffer, photo: string, identity: string | null) => Promise<AnalysedPhoto<Face>>,
  take: (kind: 'normal' | 'hard', faces: Face[]) => void,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
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
    onProgress(++done, rows.length);
  }
}
