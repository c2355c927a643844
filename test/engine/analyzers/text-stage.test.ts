import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createTextCheckImageAnalyzer } from '../../../src/engine/analyzers/text-stage';
import { decodePhoto } from '../../../src/engine/imaging/decode';
import type { DecodedPhoto } from '../../../src/engine/imaging/rgb-image';
import { TEXT_CHECK_DIR, textCheckImagePath } from '../../../src/engine/imaging/text-check-image';
import { describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

/** Check images on disk under a thumbnails folder. */
const checkImages = (thumbnails: string): string[] => {
  const dir = path.join(thumbnails, TEXT_CHECK_DIR);
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.jpg')) : [];
};

/**
 * The check images wait on disk for the text job, which starts only after the index run: a first import
 * must not fill the disk with them. So a run writes a bounded number, and none when space is short.
 */
describeWithShared('text stage: the check images an index run keeps are bounded', () => {
  const work = tempDir('facet-text-stage-');
  let decoded: DecodedPhoto;
  beforeAll(async () => {
    const photo = fs.readdirSync(sharedPhotos('objects')).sort()[0]!;
    decoded = await decodePhoto(fs.readFileSync(sharedPhotos('objects', photo)));
  });
  const analyse = (analyzer: ReturnType<typeof createTextCheckImageAnalyzer>, ids: number[]) =>
    Promise.all(ids.map((photoId) => analyzer.analyze({ photoId, decoded, decodeDetail: () => Promise.resolve(decoded) })));

  it('writes at most its per-run number, even with photos analysed at once', async () => {
    const thumbnails = path.join(work, 'capped', 'thumbs');
    await analyse(createTextCheckImageAnalyzer(thumbnails, { perRun: 2, minFreeBytes: 0 }), [1, 2, 3, 4]);
    expect(checkImages(thumbnails)).toHaveLength(2);
  });

  it('writes none when the disk has less free space than the floor', async () => {
    const thumbnails = path.join(work, 'short', 'thumbs');
    await analyse(createTextCheckImageAnalyzer(thumbnails, { minFreeBytes: Number.MAX_SAFE_INTEGER }), [1, 2]);
    expect(checkImages(thumbnails)).toEqual([]);
  });

  it("removes an earlier run's check image of a photo it does not write one for (it shows the photo before a change)", async () => {
    const thumbnails = path.join(work, 'stale', 'thumbs');
    await analyse(createTextCheckImageAnalyzer(thumbnails, { minFreeBytes: 0 }), [5]);
    expect(fs.existsSync(textCheckImagePath(thumbnails, 5))).toBe(true);
    await analyse(createTextCheckImageAnalyzer(thumbnails, { perRun: 0 }), [5]);
    expect(checkImages(thumbnails)).toEqual([]);
  });

  it('reads the free space of the nearest existing folder before the thumbnails folder exists', async () => {
    const thumbnails = path.join(work, 'fresh', 'library', 'thumbs');
    await analyse(createTextCheckImageAnalyzer(thumbnails, { minFreeBytes: 1 }), [7]);
    expect(checkImages(thumbnails)).toHaveLength(1);
  });
});
