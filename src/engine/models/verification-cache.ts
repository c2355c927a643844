import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const recordSchema = z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string() });
const cacheSchema = z.record(z.string(), recordSchema);
export type VerifiedRecord = z.infer<typeof recordSchema>;

/**
 * Remembers the sha256 of model files already hashed, keyed by absolute path and valid only while the
 * file keeps its size and mtime, so a 300 MB CLIP model is hashed once rather than at every start.
 * It is only a cache: unreadable or unwritable means "hash again", never an error.
 */
export class VerificationCache {
  private records: Record<string, VerifiedRecord> | undefined;

  constructor(private readonly file: string) {}

  /** The record for `file`, whether or not it is still fresh (see `isFresh`). */
  get(file: string): VerifiedRecord | undefined {
    return this.load()[file];
  }

  static isFresh(record: VerifiedRecord | undefined, stat: fs.Stats): record is VerifiedRecord {
    return record !== undefined && record.size === stat.size && record.mtimeMs === stat.mtimeMs;
  }

  set(file: string, stat: fs.Stats, sha256: string): void {
    this.load()[file] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
    this.save();
  }

  deleteUnder(dir: string): void {
    const records = this.load();
    for (const key of Object.keys(records)) if (key.startsWith(dir + path.sep)) delete records[key];
    this.save();
  }

  private load(): Record<string, VerifiedRecord> {
    if (this.records) return this.records;
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      this.records = parsed.success ? parsed.data : {};
    } catch {
      this.records = {};
    }
    return this.records;
  }

  /** Write-then-rename so a crash never leaves half a JSON file behind. */
  private save(): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(this.records ?? {}, null, 1));
      fs.renameSync(temp, this.file);
    } catch {
      // A read-only library still works; it only rehashes next time.
    }
  }
}
