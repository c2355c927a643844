import type Database from 'better-sqlite3';
import type { Db } from './database';

/**
 * Prepared statements cached per connection, keyed by their SQL text: the stores run the same few
 * hundred statements for every photo, and preparing one costs a parse and plan each time. The cache
 * is bounded (least recently used goes first) because statements with IN-lists or per-model vector
 * tables make some texts vary. A cached statement is shared, so nobody may switch its mode with
 * `.pluck()`, `.raw()` or `.expand()`: ask `preparedPluck` for a plucking one instead.
 */
const LIMIT = 512;
const caches = new WeakMap<Db, Map<string, Database.Statement>>();

export function prepared(db: Db, sql: string): Database.Statement {
  return cached(db, sql, () => db.prepare(sql));
}

/** The statement returning the first column of each row (better-sqlite3's pluck mode). */
export function preparedPluck(db: Db, sql: string): Database.Statement {
  return cached(db, `pluck\0${sql}`, () => db.prepare(sql).pluck());
}

function cached(db: Db, key: string, prepare: () => Database.Statement): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(key);
  if (statement) {
    cache.delete(key); // re-inserted below: Map order is the recency order
  } else {
    statement = prepare();
    if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, statement);
  return statement;
}
