import fs from 'node:fs';
import path from 'node:path';
import { indexFolders } from '../../../src/engine/indexing/index-folders';
import { Library } from '../../../src/engine/library/library';
import type { ClipModel } from '../../../src/engine/ml/clip/clip-model';
import { createClipAnalyzer } from '../../../src/engine/analyzers/clip-stage';
import { sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

export interface IndexedLibrary {
  library: Library;
  objectsDir: string;
  captionsDir: string;
}

/**
 * A library indexed by the spine's real pipeline (scan, hash, decode once, per-photo transaction) with
 * only the CLIP analyzer: ../shared/photos/objects plus a copy of the first `captions` Flickr photos
 * in a second folder (so the folder filter has something to tell apart).
 */
export async function indexSharedPhotos(clip: ClipModel, captions = 40): Promise<IndexedLibrary> {
  const root = tempDir('facet-search-lib-');
  const objectsDir = sharedPhotos('objects');
  const captionsDir = path.join(root, 'flickr');
  fs.mkdirSync(captionsDir);
  const images = sharedPhotos('captions', 'images');
  for (const file of fs.readdirSync(images).sort().slice(0, captions))
    fs.copyFileSync(path.join(images, file), path.join(captionsDir, file));
  const library = Library.open(path.join(root, 'library'));
  const result = await indexFolders({
    library,
    folders: [objectsDir, captionsDir],
    analyzers: [createClipAnalyzer(library, clip)],
    faceModelId: null,
  });
  if (result.failed > 0) throw new Error(`indexing failed for ${result.failed} photos`);
  return { library, objectsDir, captionsDir };
}
