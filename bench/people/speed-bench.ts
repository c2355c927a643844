import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { personOfEachFace, replaceFaces } from '../../src/engine/library/face-store';
import { registerIndexedPhoto } from '../../src/engine/library/photo-store';
import { Library } from '../../src/engine/library/library';
import { bcubed, type BCubedScore } from './bcubed';
import { runIncrementalClustering } from '../../src/engine/people/incremental-clustering';
import { type SyntheticFace, syntheticFaces } from './synthetic-faces';

export interface SpeedReport {
  faces: number;
  identities: number;
  /** Wall seconds to cluster every face of a fresh library (neighbour graph included). */
  fullSeconds: number;
  /** Wall seconds to add `newFaces` faces to it (one incremental run, neighbour graph loaded from disk). */
  incrementalSeconds: number;
  /**
   * CPU seconds (user + system, all threads) of the same two steps: on a shared, busy machine wall
   * time measures the neighbours' load; CPU time divided by the cores is what an idle machine needs.
   */
  fullCpuSeconds: number;
  incrementalCpuSeconds: number;
  cores: number;
  newFaces: number;
  /** Quality on the synthetic identities, as a sanity check that speed did not cost correctness. */
  bcubed: BCubedScore;
  insertSeconds: number;
}

export const SYNTHETIC_MODEL_ID = 'synthetic-128';

/** Stores synthetic faces as indexed photos with faces (real rows and vectors); returns their face ids. */
export function insertSyntheticFaces(library: Library, faces: readonly SyntheticFace[]): Map<SyntheticFace, number> {
  const db = library.db;
  const ids = new Map<SyntheticFace, number>();
  const byPhoto = new Map<number, SyntheticFace[]>();
  for (const f of faces) byPhoto.set(f.photo, [...(byPhoto.get(f.photo) ?? []), f]);
  db.transaction(() => {
    for (const [photo, list] of byPhoto) {
      const photoId = registerIndexedPhoto(db, { path: `/synthetic/${photo}.jpg`, width: 1000, height: 1000 });
      const faceIds = replaceFaces(
        db,
        photoId,
        SYNTHETIC_MODEL_ID,
        list.map((f, slot) => ({
          box: [slot * 120, 10, 100, 100],
          score: 0.9,
          landmarks: [],
          embedding: f.embedding,
          quality: f.quality,
          // Faces of fair size, as indexing stores them since faces.resolution: every synthetic face (quality
          // ≥ 0.2) may found a person (people/cluster-faces.ts), the most work the founding rule allows.
          resolution: 1,
          blur: null,
          pose: null,
        })),
      );
      list.forEach((f, i) => ids.set(f, faceIds[i]!));
    }
  })();
  return ids;
}

function measure(work: () => void): { wall: number; cpu: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  work();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/**
 * `facet bench people --faces N`: full clustering of N synthetic faces, then 1,000 more added
 * incrementally, in a throwaway library (real SQLite + sqlite-vec + the on-disk neighbour graph).
 */
export function benchClusteringSpeed(faceCount: number, newFaces = 1000): SpeedReport {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-people-'));
  const library = Library.open(dir);
  try {
    const all = syntheticFaces(faceCount + newFaces, 7);
    const base = all.slice(0, faceCount);
    const lastBasePhoto = base[base.length - 1]!.photo;
    const added = all.slice(faceCount).map((f) => ({ ...f, photo: f.photo === lastBasePhoto ? f.photo + all.length : f.photo }));
    const started = performance.now();
    const ids = insertSyntheticFaces(library, base);
    const insertSeconds = (performance.now() - started) / 1000;
    const full = measure(() => runIncrementalClustering(library));
    for (const [f, id] of insertSyntheticFaces(library, added)) ids.set(f, id);
    const incremental = measure(() => runIncrementalClustering(library));
    const personOf = personOfEachFace(library.db);
    const scored = [...ids];
    return {
      faces: faceCount,
      identities: new Set(all.map((f) => f.identity)).size,
      fullSeconds: full.wall,
      incrementalSeconds: incremental.wall,
      fullCpuSeconds: full.cpu,
      incrementalCpuSeconds: incremental.cpu,
      cores: os.availableParallelism(),
      newFaces,
      bcubed: bcubed(
        scored.map(([f]) => String(f.identity)),
        scored.map(([, id]) => personOf.get(id) ?? null),
      ),
      insertSeconds,
    };
  } finally {
    library.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
