import type Database from 'better-sqlite3';

/** A numbered schema step. `up` runs inside a transaction; `user_version` is set after it. */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}
