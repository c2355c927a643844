import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import type { Library } from '../../src/engine/library/library';
import { libraryWithFaces } from '../../test/engine/people/support/library-fixture';
import type { CachedFace } from './embed-sets';

/**
 * A fresh real library holding one cached set (bench/people/embed-sets.ts format), each face embedded as
 * the unit mean of its embedding and its mirror's (what analyzeFaces stores), clustered once.
 */
export function clusteredCache(dir: string, set: string): { faces: CachedFace[]; library: Library; faceIds: number[] } {
  const faces = JSON.parse(fs.readFileSync(path.join(dir, `${set}.json`), 'utf8')) as CachedFace[];
  const fixture = faces.map((f) => {
    const v = f.embedding.map((x, i) => x + f.mirror[i]!);
    const n = Math.hypot(...v);
    return { photo: f.photo, quality: f.quality, resolution: f.resolution ?? null, embedding: v.map((x) => x / n) };
  });
  const { library, faceIds } = libraryWithFaces(fs.mkdtempSync(path.join(os.tmpdir(), 'facet-diag-')), fixture);
  runIncrementalClustering(library);
  return { faces, library, faceIds };
}
