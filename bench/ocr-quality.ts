import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Device } from '../src/common/api/device';
import { Engine } from '../src/engine/engine';
import { enqueueBackfills } from '../src/engine/jobs/follow-ups';
import { TextStore } from '../src/engine/library/text-store';
import { generateTextPhotos, hasCjkFont, type TextPhoto, type TextScript } from './text-photos';

export interface OcrQualityOptions {
  backgrounds: string[];
  modelsDir?: string;
  device?: Device;
  perScript?: Partial<Record<TextScript, number>>;
  distractors?: number;
  workDir?: string;
  seed?: number;
  /** Long side of the generated photos (default text-photos.ts's 1,600 px, analysed whole; 4,000 is a 12 MP camera photo, analysed at 1/8). */
  longSide?: number;
}

export interface ScriptQuality {
  queries: number;
  /** Share of queries whose photo is among the first 5 results. */
  top5: number;
  /** Share of queries that return at least one photo without text (among the first 5). */
  withoutTextReturned: number;
  /** Share of this script's photos the low-resolution pass sent to the full read. */
  gateRecall: number;
  misses: string[];
}

export interface OcrQualityReport {
  photos: number;
  distractors: number;
  perScript: Partial<Record<TextScript, ScriptQuality>>;
  all: Omit<ScriptQuality, 'misses'>;
  /** Share of distractors (no text added) the low-resolution pass sent to the full read. */
  gateFalsePositives: number;
  skipped: string[];
  index_s: number;
}

/**
 * Text search quality on generated signs (text-photos.ts): index the set with Facet's own pipeline,
 * then search each sign's word with `--text` and check the first 5 results.
 */
export async function benchOcrQuality(options: OcrQualityOptions): Promise<OcrQualityReport> {
  const workDir = options.workDir ?? path.join(os.tmpdir(), 'facet-bench-ocr');
  const skipped: string[] = [];
  const perScript = { latin: 40, digits: 20, chinese: 20, ...options.perScript };
  if (perScript.chinese && !hasCjkFont()) {
    skipped.push('chinese: no CJK font installed (apt-get install fonts-noto-cjk)');
    perScript.chinese = 0;
  }
  skipped.push('korean: needs the downloadable model ppocr-v3-rec-korean (facet models download ppocr-v3-rec-korean)');
  const distractors = options.distractors ?? 80;
  const photos = await generateTextPhotos({
    backgrounds: options.backgrounds,
    target: path.join(workDir, `set-${options.seed ?? 12}${options.longSide ? `-${options.longSide}px` : ''}`),
    ...(options.longSide ? { longSide: options.longSide } : {}),
    perScript,
    distractors,
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const libraryDir = fs.mkdtempSync(path.join(workDir, 'library-'));
  const engine = Engine.open({
    libraryDir,
    ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}),
    device: options.device ?? 'auto',
  });
  try {
    const started = performance.now();
    await engine.index([path.dirname(photos[0]!.file)]);
    // Text is read by its own job after the index run, as every front end queues it.
    if (enqueueBackfills(engine.ctx) > 0) await engine.runJobs({ kinds: ['backfill-text'] });
    const indexSeconds = (performance.now() - started) / 1000;
    const idByPath = new Map(
      (engine.library.db.prepare('SELECT id, path FROM photos').all() as { id: number; path: string }[]).map((r) => [r.path, r.id]),
    );
    const store = new TextStore(engine.library.db);
    const wasRead = (p: TextPhoto) => store.scan(idByPath.get(p.file)!)?.state === 'read';
    const plain = new Set(photos.filter((p) => p.text === null).map((p) => p.file));
    const report: OcrQualityReport = {
      photos: photos.length,
      distractors: plain.size,
      perScript: {},
      all: { queries: 0, top5: 0, withoutTextReturned: 0, gateRecall: 0 },
      gateFalsePositives: ratio(photos.filter((p) => p.text === null && wasRead(p)).length, plain.size),
      skipped,
      index_s: Math.round(indexSeconds * 10) / 10,
    };
    const totals = { queries: 0, found: 0, withoutText: 0, gated: 0 };
    for (const script of ['latin', 'digits', 'chinese'] as const) {
      const mine = photos.filter((p) => p.script === script);
      if (mine.length === 0) continue;
      let found = 0;
      let withoutText = 0;
      const misses: string[] = [];
      for (const photo of mine) {
        const result = await engine.call('search.query', { photoText: [photo.query!], limit: 5 });
        if (!result.ok) throw new Error(result.error.message);
        const files = result.value.map((h) => h.photo);
        if (files.includes(photo.file)) found++;
        else
          misses.push(
            `${photo.query} (${path.basename(photo.file)}: read ${JSON.stringify(store.lines(idByPath.get(photo.file)!).map((l) => l.text))})`,
          );
        if (files.some((f) => plain.has(f))) withoutText++;
      }
      const gated = mine.filter(wasRead).length;
      report.perScript[script] = {
        queries: mine.length,
        top5: ratio(found, mine.length),
        withoutTextReturned: ratio(withoutText, mine.length),
        gateRecall: ratio(gated, mine.length),
        misses,
      };
      totals.queries += mine.length;
      totals.found += found;
      totals.withoutText += withoutText;
      totals.gated += gated;
    }
    report.all = {
      queries: totals.queries,
      top5: ratio(totals.found, totals.queries),
      withoutTextReturned: ratio(totals.withoutText, totals.queries),
      gateRecall: ratio(totals.gated, totals.queries),
    };
    return report;
  } finally {
    engine.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

function ratio(part: number, whole: number): number {
  return whole ? Math.round((part / whole) * 1000) / 1000 : 0;
}
