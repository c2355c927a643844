import { normalizeText } from './normalize-text';
import type { Db } from './database';

/** A recognised line as stored: rectangle in the upright original's pixels. */
export interface TextLineToStore {
  text: string;
  confidence: number;
  language: string;
  cx: number;
  cy: number;
  width: number;
  height: number;
  angle: number;
}

export interface StoredTextLine extends TextLineToStore {
  lineNo: number;
}

export type TextScanState = 'none' | 'candidate' | 'read';

/** A text region seen by the low-resolution check: centre, sides (fractions of the image) and angle. */
export type ScanArea = [cx: number, cy: number, width: number, height: number, angle: number];

function roundArea(area: ScanArea): ScanArea {
  return area.map((v) => Math.round(v * 10_000) / 10_000) as ScanArea;
}

export interface PhotoNeedingText {
  id: number;
  path: string;
  /** 'candidate': the low-resolution pass found text, only the full read is missing; null: never scanned by this model. */
  state: 'candidate' | null;
  /** Where a candidate's check saw text; null when not recorded (scans from before migration 13). */
  areas: ScanArea[] | null;
  /** The format indexing sniffed (HEIC and TIFF photos have a JPEG display copy) and the upright original's size. */
  format: string | null;
  width: number | null;
  height: number | null;
}

export interface TextCounts {
  /** Indexed photos the current model has looked at. */
  scanned: number;
  /** Photos with at least one recognised line. */
  withText: number;
  /** Indexed photos still waiting for a scan or a full read. */
  pending: number;
}

/** Failed reads of one photo after which the text job leaves it alone (its error stays visible). */
export const MAX_TEXT_ATTEMPTS = 3;

/** Every SQL statement about text in photos (migration 006). */
export class TextStore {
  constructor(private readonly db: Db) {}

  /**
   * A read that threw: kept with its reason; after MAX_TEXT_ATTEMPTS failed runs the photo no longer
   * waits for the text job (until its content changes, see forget, or the text models do).
   */
  recordFailure(photoId: number, modelId: string, error: string): void {
    this.db
      .prepare(
        `INSERT INTO photo_text_scans (photo_id, model_id, state, regions, truncated, error, failures) VALUES (?, ?, 'none', 0, 0, ?, 1)
         ON CONFLICT(photo_id) DO UPDATE SET model_id = excluded.model_id, state = 'none', regions = 0, areas = NULL, error = excluded.error,
           failures = CASE WHEN photo_text_scans.model_id = excluded.model_id AND photo_text_scans.error IS NOT NULL THEN photo_text_scans.failures + 1 ELSE 1 END`,
      )
      .run(photoId, modelId, error);
  }

  /** The photo's content changed: what was read in it is gone, and it waits for the text job again. */
  forget(photoId: number): void {
    this.db.prepare('DELETE FROM photo_text_lines WHERE photo_id = ?').run(photoId);
    this.db.prepare('DELETE FROM photo_text_scans WHERE photo_id = ?').run(photoId);
  }

  /**
   * The low-resolution pass's verdict, with where it saw text (fractions of the checked image); any
   * earlier reading of the photo is dropped (its content changed).
   */
  recordScan(photoId: number, modelId: string, areas: readonly ScanArea[]): void {
    this.db.prepare('DELETE FROM photo_text_lines WHERE photo_id = ?').run(photoId);
    this.db
      .prepare('INSERT OR REPLACE INTO photo_text_scans (photo_id, model_id, state, regions, truncated, areas) VALUES (?, ?, ?, ?, 0, ?)')
      .run(
        photoId,
        modelId,
        areas.length > 0 ? 'candidate' : 'none',
        areas.length,
        areas.length > 0 ? JSON.stringify(areas.map(roundArea)) : null,
      );
  }

  /** The full read: its lines replace whatever the photo had. */
  saveReading(photoId: number, modelId: string, lines: readonly TextLineToStore[], regions: number, truncated: boolean): void {
    this.db.prepare('DELETE FROM photo_text_lines WHERE photo_id = ?').run(photoId);
    const insert = this.db.prepare(
      'INSERT INTO photo_text_lines (photo_id, line_no, text, norm, confidence, language, cx, cy, width, height, angle) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    lines.forEach((l, i) =>
      insert.run(photoId, i, l.text, normalizeText(l.text), l.confidence, l.language, l.cx, l.cy, l.width, l.height, l.angle),
    );
    this.db
      .prepare("INSERT OR REPLACE INTO photo_text_scans (photo_id, model_id, state, regions, truncated) VALUES (?, ?, 'read', ?, ?)")
      .run(photoId, modelId, regions, truncated ? 1 : 0);
  }

  /** Indexed photos this model has not finished with: never scanned (or by another model), or a pending full read. */
  photosNeedingText(modelId: string): PhotoNeedingText[] {
    const rows = this.db
      .prepare(
        `SELECT p.id, p.path, CASE WHEN s.model_id = ? AND s.state = 'candidate' THEN 'candidate' END AS state, s.areas, p.format, p.width, p.height
         FROM photos p LEFT JOIN photo_text_scans s ON s.photo_id = p.id
         WHERE p.status = 'indexed' AND (s.photo_id IS NULL OR s.model_id <> ? OR s.state = 'candidate' OR (s.error IS NOT NULL AND s.failures < ${MAX_TEXT_ATTEMPTS}))
         ORDER BY p.id`,
      )
      .all(modelId, modelId) as {
      id: number;
      path: string;
      state: 'candidate' | null;
      areas: string | null;
      format: string | null;
      width: number | null;
      height: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      path: r.path,
      state: r.state,
      areas: r.state === 'candidate' && r.areas ? (JSON.parse(r.areas) as ScanArea[]) : null,
      format: r.format,
      width: r.width,
      height: r.height,
    }));
  }

  /** Whether any indexed photo waits for this model's check or full read (cheap: stops at the first). */
  hasPhotosNeedingText(modelId: string): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM photos p LEFT JOIN photo_text_scans s ON s.photo_id = p.id
           WHERE p.status = 'indexed' AND (s.photo_id IS NULL OR s.model_id <> ? OR s.state = 'candidate' OR (s.error IS NOT NULL AND s.failures < ${MAX_TEXT_ATTEMPTS})) LIMIT 1`,
        )
        .get(modelId) !== undefined
    );
  }

  lines(photoId: number): StoredTextLine[] {
    return this.db
      .prepare(
        'SELECT line_no AS lineNo, text, confidence, language, cx, cy, width, height, angle FROM photo_text_lines WHERE photo_id = ? ORDER BY line_no',
      )
      .all(photoId) as StoredTextLine[];
  }

  scan(
    photoId: number,
  ): { modelId: string; state: TextScanState; regions: number; truncated: boolean; error: string | null; failures: number } | null {
    const row = this.db
      .prepare('SELECT model_id, state, regions, truncated, error, failures FROM photo_text_scans WHERE photo_id = ?')
      .get(photoId) as
      { model_id: string; state: TextScanState; regions: number; truncated: number; error: string | null; failures: number } | undefined;
    return row
      ? {
          modelId: row.model_id,
          state: row.state,
          regions: row.regions,
          truncated: row.truncated === 1,
          error: row.error,
          failures: row.failures,
        }
      : null;
  }

  /**
   * The normalised lines of the photos matching a WHERE clause over `photos p` (the search filters), in
   * photo order, for the text matcher.
   */
  searchableLines(where: string, params: readonly unknown[]): { photoId: number; norm: string; confidence: number }[] {
    return this.db
      .prepare(
        `SELECT l.photo_id AS photoId, l.norm, l.confidence FROM photo_text_lines l JOIN photos p ON p.id = l.photo_id WHERE ${where} ORDER BY l.photo_id, l.line_no`,
      )
      .all(...params) as { photoId: number; norm: string; confidence: number }[];
  }

  /** Photos this model read in full (the check saw text in them), with or without lines found. */
  readCount(modelId: string): number {
    return (
      this.db.prepare(`SELECT count(*) AS n FROM photo_text_scans WHERE model_id = ? AND state = 'read'`).get(modelId) as { n: number }
    ).n;
  }

  counts(modelId: string): TextCounts {
    const row = this.db
      .prepare(
        `SELECT
           sum(CASE WHEN s.model_id = ? AND s.state <> 'candidate' THEN 1 ELSE 0 END) AS scanned,
           sum(CASE WHEN s.photo_id IS NULL OR s.model_id <> ? OR s.state = 'candidate' THEN 1 ELSE 0 END) AS pending
         FROM photos p LEFT JOIN photo_text_scans s ON s.photo_id = p.id WHERE p.status = 'indexed'`,
      )
      .get(modelId, modelId) as { scanned: number | null; pending: number | null };
    const withText = (this.db.prepare('SELECT count(DISTINCT photo_id) AS n FROM photo_text_lines').get() as { n: number }).n;
    return { scanned: row.scanned ?? 0, withText, pending: row.pending ?? 0 };
  }
}
