import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { type CorpusEntry, generateMalformedCorpus } from '../fixtures/hardening/malformed-corpus';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../support/shared';
import { tempDir } from '../support/temp';
import { type ChildRun, runFacetChild } from './support/child';
import { integrityCheck, partialThumbnails, photoRows } from './support/library-check';

/** A hang shows up as this bound being hit (the child is then SIGKILLed and the test fails). */
const RUN_BOUND_MS = 240_000;

describeWithShared('fuzzed images: 1,000+ malformed files index without a crash or a hang', () => {
  const work = tempDir('facet-fuzz-');
  const corpusDir = path.join(work, 'corpus');
  const library = path.join(work, 'library');
  let corpus: CorpusEntry[];
  let run: ChildRun;
  let rows: Map<string, { status: string; error: string | null }>;

  beforeAll(async () => {
    corpus = await generateMalformedCorpus(corpusDir, [
      sharedPhotos('faces-album', '2.jpg'),
      sharedPhotos('faces-album', 'overlap_1.jpg'),
      sharedPhotos('faces-album', '13.jpg'),
      sharedPhotos('astronaut.png'),
    ]);
    run = await runFacetChild(['index', corpusDir, '--library', library, '--models', SHARED_MODELS, '--device', 'cpu'], {
      timeoutMs: RUN_BOUND_MS,
    });
    rows = new Map(photoRows(library).map((r) => [path.basename(r.path), r]));
    const bytes = corpus.reduce((sum, e) => sum + fs.statSync(path.join(corpusDir, e.file)).size, 0);
    const count = (e: CorpusEntry['expect']) => corpus.filter((c) => c.expect === e).length;
    console.info(
      `fuzz: ${corpus.length} files (${(bytes / 1e6).toFixed(1)} MB: ${count('valid')} valid, ${count('bad')} bad, ${count('either')} bit-flipped) indexed in ${(run.ms / 1000).toFixed(1)} s; ${run.stdout.trim()}`,
    );
  }, RUN_BOUND_MS + 60_000);

  it('the corpus is at least 1,000 files and the run ends by itself, exit 0', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    expect(run.signal, 'killed at the time bound: a hang').toBeNull();
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(integrityCheck(library)).toBe('ok');
    expect(partialThumbnails(library)).toEqual([]);
  });

  it('every file gets a final status, and a reason whenever it is not indexed', () => {
    const unreported = corpus.filter((e) => {
      const row = rows.get(e.file);
      return !row || !['indexed', 'failed', 'unsupported'].includes(row.status) || (row.status !== 'indexed' && !row.error?.trim());
    });
    expect(unreported.map((e) => `${e.file} (${e.how}): ${JSON.stringify(rows.get(e.file) ?? 'no row')}`)).toEqual([]);
  });

  it('every valid variant (CMYK, 16-bit, alpha, palette, grayscale, orientations, formats) is indexed', () => {
    const missed = corpus.filter((e) => e.expect === 'valid' && rows.get(e.file)?.status !== 'indexed');
    expect(missed.map((e) => `${e.file}: ${rows.get(e.file)?.error}`)).toEqual([]);
  });

  it('every certainly-bad file is failed or unsupported, never indexed', () => {
    const indexed = corpus.filter((e) => e.expect === 'bad' && rows.get(e.file)?.status === 'indexed');
    expect(indexed.map((e) => `${e.file} (${e.how})`)).toEqual([]);
  });
});
