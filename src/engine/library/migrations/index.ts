import type { Migration } from './migration';
import { migration001Core } from './001_core';

/** Every schema step, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001Core];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
