import fs from 'node:fs';
import { FacetError } from '../../common/errors';
import { DEFAULT_BUSY_TIMEOUT_MS, type Db, openDatabase, schemaVersion } from './database';
import { type LibraryPaths, libraryPaths } from './paths';
import { WriterLock } from './writer-lock';
import { getSetting, setSetting } from './settings-store';

export interface OpenLibraryOptions {
  readonly?: boolean;
  busyTimeoutMs?: number;
  nativeBinding?: string;
}

/** An open library folder: its database and the places its thumbnails and models live. */
export class Library {
  private constructor(
    readonly paths: LibraryPaths,
    readonly db: Db,
    private readonly options: OpenLibraryOptions = {},
  ) {}

  static open(root: string, options: OpenLibraryOptions = {}): Library {
    const paths = libraryPaths(root);
    if (!options.readonly) {
      try {
        for (const dir of [paths.root, paths.thumbnails, paths.models]) fs.mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw new FacetError('library_readonly', `Cannot create the library at ${root}: ${(error as Error).message}`);
      }
    } else if (!fs.existsSync(paths.database)) {
      throw new FacetError(
        'not_found',
        `No Facet library at ${root} (no facet.db). Index a folder first: facet index <folder> --library ${root}`,
      );
    }
    return new Library(paths, openDatabase(paths.database, options), options);
  }

  /** Whole-run exclusion between processes (see writer-lock.ts); waits as long as a busy database would. */
  acquireWriterLock(waitMs?: number): Promise<WriterLock> {
    if (this.options.readonly) throw new FacetError('library_readonly', 'The library was opened read-only.');
    return WriterLock.acquire(this.paths.root, {
      waitMs: waitMs ?? this.options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      nativeBinding: this.options.nativeBinding,
    });
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  getSetting(key: string): string | undefined {
    return getSetting(this.db, key);
  }

  setSetting(key: string, value: string): void {
    setSetting(this.db, key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
