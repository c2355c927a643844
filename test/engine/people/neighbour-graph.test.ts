import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import { bcubed } from '../../../bench/people/bcubed';
import { insertSyntheticFaces, SYNTHETIC_MODEL_ID } from '../../../bench/people/speed-bench';
import { syntheticFaces } from '../../../bench/people/synthetic-faces';
import { runIncrementalClustering } from '../../../src/engine/people/incremental-clustering';
import { EXACT_SEARCH_LIMIT } from '../../../src/engine/people/neighbour-index';
import { tempDir } from '../../support/temp';

let library: Library | undefined;
afterEach(() => library?.close());

/**
 * Above EXACT_SEARCH_LIMIT faces the neighbours come from an HNSW graph kept beside the library, so a
 * later run only adds its new faces. This is the path every large library takes.
 */
it('a large library keeps its neighbour graph on disk: saved whole, reused by the next run, rebuilt when damaged', () => {
  const dir = tempDir('facet-graph-');
  library = Library.open(dir);
  const all = syntheticFaces(EXACT_SEARCH_LIMIT * 2 + 400, 31);
  const first = all.slice(0, EXACT_SEARCH_LIMIT * 2);
  const lastPhoto = first.at(-1)!.photo;
  const later = all.slice(first.length).filter((f) => f.photo !== lastPhoto);
  const ids = insertSyntheticFaces(library, first);
  const graphDir = path.join(dir, 'people');
  fs.mkdirSync(graphDir, { recursive: true });
  fs.writeFileSync(path.join(graphDir, `${SYNTHETIC_MODEL_ID}.usearch`), 'a graph in the format of an older Facet');

  runIncrementalClustering(library);
  const graph = path.join(graphDir, `${SYNTHETIC_MODEL_ID}.hnsw-f16.usearch`);
  expect(fs.readdirSync(graphDir)).toEqual([path.basename(graph)]); // no temporary, and the old format is gone
  expect(library.getSetting(`people.neighbourIndex.${SYNTHETIC_MODEL_ID}`)).toBe(String(first.length));

  for (const [face, id] of insertSyntheticFaces(library, later)) ids.set(face, id);
  const sizeBefore = fs.statSync(graph).size;
  runIncrementalClustering(library);
  expect(library.getSetting(`people.neighbourIndex.${SYNTHETIC_MODEL_ID}`)).toBe(String(first.length + later.length));
  expect(fs.statSync(graph).size).toBeGreaterThan(sizeBefore);

  const score = () => {
    const personOf = new Map(
      (library!.db.prepare('SELECT id, person_id AS p FROM faces').all() as { id: number; p: number | null }[]).map((r) => [r.id, r.p]),
    );
    const scored = [...ids];
    return bcubed(
      scored.map(([f]) => String(f.identity)),
      scored.map(([, id]) => personOf.get(id) ?? null),
    ).f1;
  };
  expect(score()).toBeGreaterThan(0.9);

  // A damaged graph (a disk error, a half-copied library) is rebuilt from the vectors, not trusted.
  fs.writeFileSync(graph, fs.readFileSync(graph).subarray(0, 4096));
  const more = insertSyntheticFaces(library, syntheticFaces(50, 77, 900_000));
  const report = runIncrementalClustering(library);
  expect(report.considered).toBeGreaterThanOrEqual(more.size);
  expect(fs.statSync(graph).size).toBeGreaterThan(sizeBefore);
  expect(score()).toBeGreaterThan(0.9);
});
