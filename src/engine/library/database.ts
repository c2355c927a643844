import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { FacetError } from '../../common/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { unpackedPath } from '../util/unpacked-path';

export type Db = Database.Database;

/** How long a write waits for another process's transaction (and a run for another run's writer lock). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  readonly?: boolean;
  /** How long a writer waits for another process's write lock before "library is busy". */
  busyTimeoutMs?: number;
  /** better-sqlite3's `nativeBinding`: the Electron app passes its own ABI build (see README). */
  nativeBinding?: string;
}

/**
 * sqlite-vec's loadable path points inside app.asar in a packaged app, where dlopen cannot reach it
 * (electron-builder#8824, sqlite-vec#194): the file is unpacked next to it.
 */
export function sqliteVecPath(): string {
  return unpackedPath(sqliteVec.getLoadablePath());
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  try {
    return openAndMigrate(file, options);
  } catch (error) {
    throw explainOpenFailure(file, error);
  }
}

/**
 * SQLite says only "unable to open database file" when the library sits on a read-only disk or share:
 * it must create its WAL index (facet.db-shm) beside the database, even just to read.
 */
function explainOpenFailure(file: string, error: unknown): unknown {
  const code = (error as { code?: string })?.code;
  if (code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY') return error;
  const dir = path.dirname(file);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return error;
  } catch {
    return new FacetError(
      'library_readonly',
      `The library folder ${dir} is read-only (a read-only disk, share or folder). Facet needs to write there, even to read the library. Make it writable, or copy the library folder somewhere writable.`,
    );
  }
}

function openAndMigrate(file: string, options: OpenDatabaseOptions): Db {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    db.loadExtension(sqliteVecPath());
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Changes whenever anything is written to the library: data_version when another connection commits,
 * total_changes() when this one writes. Readers that cache a scan of the library key it by this.
 */
export function writeStamp(db: Db): string {
  return `${String(db.pragma('data_version', { simple: true }))}:${String(db.prepare('SELECT total_changes()').pluck().get())}`;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the numbered migrations the database has not seen. A database from a newer Facet is refused
 * rather than guessed at, and a backup of the old file is taken before any step runs.
 */
function migrate(db: Db, file: string): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new FacetError(
      'schema_too_new',
      `This library was written by a newer Facet (schema ${current}; this version knows up to ${LATEST_SCHEMA_VERSION}). Update Facet to open it.`,
    );
  }
  if (current === LATEST_SCHEMA_VERSION) return;
  if (db.readonly) {
    // A read-only command never writes (it may run beside another Facet that writes, or on a read-only
    // disk), so it does not upgrade either: it says which command does.
    throw new FacetError(
      'library_readonly',
      `The library needs an upgrade (schema ${current} → ${LATEST_SCHEMA_VERSION}), and this command only reads it. Run \`facet status\` (or open the Facet app) once to upgrade it; a backup of the old database is kept next to it.`,
    );
  }
  if (current > 0 && file !== ':memory:') backupBeforeMigration(db, file, current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    // The app and the CLI may open a new library at the same moment: IMMEDIATE takes the write lock
    // before the version is read again, so the second process skips what the first just applied
    // (it used to fail with "table folders already exists").
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

function backupBeforeMigration(db: Db, file: string, version: number): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const backup = `${file}.bak-v${version}`;
  if (fs.existsSync(backup)) return;
  try {
    db.exec(`VACUUM INTO '${backup.replaceAll("'", "''")}'`);
  } catch (error) {
    if (!fs.existsSync(backup)) throw error; // else another process took the same backup meanwhile
  }
}
