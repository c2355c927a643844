import type { Db } from './database';
import { prepared } from './statements';

/** The library's key/value settings (the `settings` table): the one read and the one upsert. */
export function getSetting(db: Db, key: string): string | undefined {
  const row = prepared(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setSetting(db: Db, key: string, value: string): void {
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
