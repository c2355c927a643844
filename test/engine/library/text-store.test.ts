import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src/engine/library/library';
import { TextStore } from '../../../src/engine/library/text-store';
import { buildLibraryAtVersion } from '../../fixtures/hardening/old-library';
import { tempDir } from '../../support/temp';

describe('text in photos: a library from before (schema 7) upgrades with every indexed photo waiting for its text', () => {
  const work = tempDir('facet-ocr-migrate-');

  it('v7 → v8 keeps the photos and lists the indexed ones for the text backfill', () => {
    const dir = path.join(work, 'v7');
    const built = buildLibraryAtVersion(dir, 7);
    const library = Library.open(dir);
    try {
      const indexed = (library.db.prepare("SELECT count(*) AS n FROM photos WHERE status = 'indexed'").get() as { n: number }).n;
      expect((library.db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n).toBe(built.photos);
      const store = new TextStore(library.db);
      expect(store.photosNeedingText('ppocr-v4-det+ppocr-v4-rec-ch')).toHaveLength(indexed);
      expect(store.counts('ppocr-v4-det+ppocr-v4-rec-ch')).toEqual({ scanned: 0, withText: 0, pending: indexed });
    } finally {
      library.close();
    }
  });
});
