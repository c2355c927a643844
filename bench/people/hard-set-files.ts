import fs from 'node:fs';
import path from 'node:path';
import type { Library } from '../../src/engine/library/library';
import { degradationFor, degradedFace } from './hard-set';
import { centredFaces, type LabelledPhoto } from './quality-bench';

/**
 * Writes the hard version of a labelled set that is already indexed in `source`: each labelled
 * photo's centred face cropped tight, 60-120 px, blurred and re-compressed (hard-set.ts), under the
 * same file name in `folder`. Returns the labels of the written files. Kept between runs.
 */
export async function writeHardSet(source: Library, labels: readonly LabelledPhoto[], folder: string): Promise<LabelledPhoto[]> {
  fs.mkdirSync(folder, { recursive: true });
  const written: LabelledPhoto[] = [];
  for (const face of centredFaces(source, labels)) {
    const file = path.join(folder, path.basename(face.path));
    if (!fs.existsSync(file)) fs.writeFileSync(file, await degradedFace(face.path, face.box, degradationFor(path.basename(face.path))));
    written.push({ path: file, identity: face.identity });
  }
  return written;
}
