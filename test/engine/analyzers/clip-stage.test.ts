import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backfillClipEmbeddings, createClipAnalyzer } from '../../../src/engine/analyzers/clip-stage';
import { decodePhoto } from '../../../src/engine/imaging/decode';
import { indexFolders } from '../../../src/engine/indexing/index-folders';
import { embeddedPhotoCount, findImageVectorTable, readImageVector } from '../../../src/engine/library/image-vectors';
import { Library } from '../../../src/engine/library/library';
import type { ClipModel } from '../../../src/engine/ml/clip/clip-model';
import { describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';
import { loadTinyClip } from '../search/tiny-clip-model';

/** A library over a copy of six real photos (not yet indexed). */
function sixPhotoLibrary(): { library: Library; folder: string } {
  const root = tempDir('facet-clip-stage-');
  const folder = path.join(root, 'photos');
  fs.mkdirSync(folder);
  for (const file of fs.readdirSync(sharedPhotos('objects')).sort().slice(0, 6))
    fs.copyFileSync(sharedPhotos('objects', file), path.join(folder, file));
  return { library: Library.open(path.join(root, 'library')), folder };
}

/** The real model, whose first text-encoder run fails (a passing failure such as memory pressure). */
function failingOnce(clip: ClipModel): ClipModel {
  let textRuns = 0;
  const flaky: ClipModel = Object.create(clip);
  flaky.embedTexts = async (texts) => {
    if (textRuns++ === 0) throw new Error('out of memory (simulated, once)');
    return clip.embedTexts(texts);
  };
  return flaky;
}

describeWithShared('CLIP stage: a failed concept-tagger setup does not poison the session (tiny CLIP, real photos)', () => {
  let clip: ClipModel;
  let library: Library | undefined;
  beforeAll(async () => ({ clip } = await loadTinyClip()));
  afterAll(() => library?.close());

  it('photos keep their vector while the tagger is down, a later photo retries the setup, and a backfill tags the rest', async () => {
    let folder: string;
    ({ library, folder } = sixPhotoLibrary());
    const flaky = failingOnce(clip);
    const logged: string[] = [];
    const analyzer = createClipAnalyzer(library, flaky, clip.modelId, { taggerRetryMs: 0, log: (m) => logged.push(m) });
    const result = await indexFolders({ library, folders: [folder], analyzers: [analyzer], faceModelId: null });

    expect(result.failed).toBe(0); // the tagger's failure never fails a photo whose embedding worked
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('out of memory (simulated, once)');
    const table = findImageVectorTable(library.db, clip.modelId)!;
    const ids = library.db.prepare('SELECT id FROM photos ORDER BY id').pluck().all() as number[];
    expect(ids).toHaveLength(6);
    for (const id of ids) expect(readImageVector(library.db, table, id)?.length).toBe(clip.dimensions); // search finds every photo
    const tagged = embeddedPhotoCount(library.db, clip.modelId);
    expect(tagged).toBeGreaterThan(0); // a later photo set the tagger up again
    expect(tagged).toBeLessThan(6); // the photos that shared the failed setup are left for the backfill

    const backfill = await backfillClipEmbeddings(library, clip, clip.modelId, { decode: async (p) => (await decodePhoto(p)).image });
    expect(backfill.embedded).toBe(6 - tagged);
    expect(embeddedPhotoCount(library.db, clip.modelId)).toBe(6);
  });

  it('a backfill whose tagger setup fails writes the vectors but counts no photo done, and the next backfill finishes them', async () => {
    const { library: lib, folder } = sixPhotoLibrary();
    try {
      await indexFolders({ library: lib, folders: [folder], analyzers: [], faceModelId: null });
      const decode = async (p: string) => (await decodePhoto(p)).image;
      const written: number[] = [];
      const logged: string[] = [];
      const first = await backfillClipEmbeddings(lib, failingOnce(clip), clip.modelId, {
        decode,
        onPhotoWritten: (_db, id) => written.push(id),
        tagger: { log: (m) => logged.push(m) },
      });
      expect(first).toEqual({ embedded: 0, failed: 0, remaining: 6 }); // one batch, which shared the failed setup
      expect(written).toEqual([]);
      expect(logged).toHaveLength(1);
      const table = findImageVectorTable(lib.db, clip.modelId)!;
      const ids = lib.db.prepare('SELECT id FROM photos ORDER BY id').pluck().all() as number[];
      for (const id of ids) expect(readImageVector(lib.db, table, id)?.length).toBe(clip.dimensions);
      expect(await backfillClipEmbeddings(lib, clip, clip.modelId, { decode })).toEqual({ embedded: 6, failed: 0, remaining: 0 });
    } finally {
      lib.close();
    }
  });
});
