import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodePhoto } from '../../../src/engine/imaging/decode';
import type { Library } from '../../../src/engine/library/library';
import type { ClipModel } from '../../../src/engine/ml/clip/clip-model';
import { dot } from '../../../src/engine/ml/vector-math';
import { activeImageModel } from '../../../src/engine/search/active-model';
import { backfillClipEmbeddings } from '../../../src/engine/analyzers/clip-stage';
import { findImageVectorTable, readImageVector } from '../../../src/engine/library/image-vectors';
import { similarPhotos } from '../../../src/engine/search/similar';
import { conceptPhotos, listTags, removeConcept, saveUserConcept, tagPhotosWithConcept } from '../../../src/engine/search/tags';
import { searchPhotos } from '../../../src/engine/search/text-search';
import { describeWithShared } from '../../support/shared';
import { ConceptTagger } from '../../../src/engine/analyzers/tagger';
import { allConcepts } from '../../../src/engine/analyzers/vocabulary';
import { indexSharedPhotos } from './indexed-library';
import { loadTinyClip } from './tiny-clip-model';

describeWithShared('zero-shot tags, saved concepts, similar photos and backfill on real photos', () => {
  let clip: ClipModel;
  let library: Library;
  beforeAll(async () => {
    ({ clip } = await loadTinyClip());
    ({ library } = await indexSharedPhotos(clip, 20));
  });
  afterAll(() => library?.close());

  const vectorOf = (id: number) => readImageVector(library.db, findImageVectorTable(library.db, clip.modelId)!, id)!;

  it('tags photos at index time, each kept tag standing out from the vocabulary by its threshold', () => {
    const tags = listTags(library, clip.modelId);
    expect(tags.length).toBeGreaterThan(0);
    const rows = library.db.prepare('SELECT photo_id AS photoId, tag, score, confidence FROM photo_tags').all() as {
      photoId: number;
      tag: string;
      score: number;
      confidence: number;
    }[];
    expect(rows.every((r) => r.confidence >= 3)).toBe(true);
    // The tiny model only knows colour words, so only concepts containing one can stand out.
    const colourWord = /\b(red|green|blue|yellow|orange|purple|pink|white|black|dark|bright)\b/;
    expect(rows.every((r) => colourWord.test(r.tag))).toBe(true);
    const perPhoto = new Map<number, number>();
    for (const r of rows) perPhoto.set(r.photoId, (perPhoto.get(r.photoId) ?? 0) + 1);
    expect(Math.max(...perPhoto.values())).toBeLessThanOrEqual(8);
  });

  it('finds photos by tag, most confident first, and the reddest photo carries "red"', async () => {
    const reddest = (await searchPhotos(library, clip, { text: 'red', limit: 1 }))[0]!;
    const redTagged = await searchPhotos(library, clip, { text: '', tag: 'red', limit: 100 });
    expect(redTagged.map((h) => h.photoId)).toContain(reddest.photoId);
  });

  it('saves a user concept and tags the already-embedded photos with it', async () => {
    const concept = saveUserConcept(library, clip, 'Scarlet things', 'something red');
    const scored: number[] = [];
    await tagPhotosWithConcept(library, clip, concept.name, concept.prompt, {
      skip: new Set(),
      onTotal: () => {},
      onPhotoScored: (_db, id) => scored.push(id),
      checkpoint: () => {},
    });
    expect(new Set(scored).size).toBe(scored.length); // each photo scored once
    const saved = { ...concept, photos: conceptPhotos(library, concept.name, clip.modelId) };
    expect(saved.prompt).toBe('something red');
    expect(saved.photos).toBeGreaterThan(0);
    const hits = await searchPhotos(library, clip, { text: '', tag: 'scarlet things', limit: 100 });
    expect(hits).toHaveLength(saved.photos);
    const redText = await clip.embedText('something red');
    const blueText = await clip.embedText('something blue');
    for (const h of hits) expect(dot(vectorOf(h.photoId), redText)).toBeGreaterThan(dot(vectorOf(h.photoId), blueText));
    expect(listTags(library, clip.modelId).find((t) => t.tag === 'Scarlet things')).toMatchObject({ source: 'user', photos: saved.photos });
    expect(removeConcept(library, 'scarlet THINGS')).toEqual({ removed: true });
    await expect(searchPhotos(library, clip, { text: '', tag: 'Scarlet things' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('"Save as tag" keeps the photos the search showed: the saved tag and the index-time tagger use the search’s cutoff', async () => {
    const query = 'green leaves';
    const shown = (await searchPhotos(library, clip, { text: query, limit: 1000 })).map((h) => h.photoId).sort((a, b) => a - b);
    expect(shown.length).toBeGreaterThan(1);
    const concept = saveUserConcept(library, clip, query);
    await tagPhotosWithConcept(library, clip, concept.name, concept.prompt, {
      skip: new Set(),
      onTotal: () => {},
      onPhotoScored: () => {},
      checkpoint: () => {},
    });
    const tagged = (await searchPhotos(library, clip, { text: '', tag: query, limit: 1000 })).map((h) => h.photoId).sort((a, b) => a - b);
    expect(tagged).toEqual(shown);
    // A photo indexed later gets the tag by the same rule.
    const tagger = await ConceptTagger.create(clip, allConcepts(library.db));
    const ids = library.db.prepare("SELECT id FROM photos WHERE status = 'indexed' ORDER BY id").pluck().all() as number[];
    const taggedAtIndex = ids.filter((id) => tagger.tag(vectorOf(id)).tags.some((t) => t.tag === query));
    expect(taggedAtIndex).toEqual(shown);
    removeConcept(library, query);
  });

  it('finds visually similar photos, nearest first, never the photo itself', async () => {
    const red = (await searchPhotos(library, clip, { text: 'red', limit: 1 }))[0]!;
    const similar = similarPhotos(library, clip.modelId, red.photoId, { limit: 5 });
    expect(similar).toHaveLength(5);
    expect(similar.map((h) => h.photoId)).not.toContain(red.photoId);
    const expected = similar.map((h) => dot(vectorOf(red.photoId), vectorOf(h.photoId)));
    similar.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!, 5));
    expect(expected).toEqual([...expected].sort((a, b) => b - a));
    expect(() => similarPhotos(library, clip.modelId, 999_999)).toThrow(/No photo/);
  });

  it('backfills a newly installed model without touching the old vectors, and search moves over once it covers the library', async () => {
    const newModel = 'tiny-clip-second';
    const before = vectorOf(1);
    expect(activeImageModel(library.db, [newModel, clip.modelId])).toBe(clip.modelId);
    const progress: number[] = [];
    const result = await backfillClipEmbeddings(library, clip, newModel, {
      decode: async (p) => (await decodePhoto(p)).image,
      onProgress: (done) => progress.push(done),
      batchSize: 16,
    });
    const photos = (library.db.prepare("SELECT count(*) AS n FROM photos WHERE status = 'indexed'").get() as { n: number }).n;
    expect(result).toEqual({ embedded: photos, failed: 0, remaining: 0 });
    expect(progress.at(-1)).toBe(photos);
    expect(Array.from(vectorOf(1))).toEqual(Array.from(before));
    const second = readImageVector(library.db, findImageVectorTable(library.db, newModel)!, 1)!;
    expect(dot(second, before)).toBeCloseTo(1, 4); // same weights, same decode path: same embedding
    expect(activeImageModel(library.db, [newModel, clip.modelId])).toBe(newModel);
    expect(await backfillClipEmbeddings(library, clip, newModel, { decode: async (p) => (await decodePhoto(p)).image })).toEqual({
      embedded: 0,
      failed: 0,
      remaining: 0,
    });
  });
});
