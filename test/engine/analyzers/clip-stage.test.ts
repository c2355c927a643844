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

describeWithShared('CLIP stage: a failed concept-tagger setup does not poison the session (tiny CLIP, real photos)', () => {
  let clip: ClipModel;
  let library: Library | undefined;
  beforeAll(async () => ({ clip } = await loadTinyClip()));
  afterAll(() => library?.close());

  it('photos keep their vector while the tagger is down, a later photo retries the setup, and a backfill tags the rest', async () => {
    const root = tempDir('facet-clip-stage-');
    const folder = path.join(root, 'photos');
    fs.mkdirSync(folder);
    for (const file of fs.readdirSync(sharedPhotos('objects')).sort().slice(0, 6))
      fs.copyFileSync(sharedPhotos('objects', file), path.join(folder, file));
    library = Library.open(path.join(root, 'library'));

    // The real model, whose first text-encoder run fails (a passing failure such as memory pressure).
    let textRuns = 0;
    const flaky: ClipModel = Object.create(clip);
    flaky.embedTexts = async (texts) => {
      if (textRuns++ === 0) throw new Error('out of memory (simulated, once)');
      return clip.embedTexts(texts);
    };
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
});
