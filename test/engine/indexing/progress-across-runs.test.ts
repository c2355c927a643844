import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { IndexProgress } from '../../../src/common/api/library';
import { indexFolders } from '../../../src/engine/indexing/index-folders';
import { Library } from '../../../src/engine/library/library';
import { describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

describeWithShared('indexing progress across runs', () => {
  it('a run over new photos reports the photos already indexed, so the app counts the library, not the run', async () => {
    const work = tempDir();
    const photos = path.join(work, 'photos');
    fs.mkdirSync(photos);
    const add = (names: string[]) => names.forEach((n) => fs.copyFileSync(sharedPhotos('faces-celebs', n), path.join(photos, n)));
    const library = Library.open(path.join(work, 'library'));
    try {
      const run = async () => {
        const seen: IndexProgress[] = [];
        await indexFolders({ library, folders: [photos], analyzers: [], faceModelId: null, onProgress: (p) => seen.push(p) });
        return seen.at(-1)!;
      };
      add(['img1.jpg', 'img2.jpg', 'img10.jpg']);
      expect(await run()).toMatchObject({ phase: 'done', done: 3, total: 3, upToDate: 0 });
      add(['img11.jpg', 'couple.jpg']);
      // "5 of 5" for the library, from 3 already indexed + 2 of this run's 2.
      expect(await run()).toMatchObject({ done: 2, total: 2, upToDate: 3 });
    } finally {
      library.close();
    }
  });
});
