import { FacetError } from '../../common/errors';
import type { Db } from './database';
import { prepared } from './statements';

export type VectorKind = 'face' | 'image';

export interface VectorTable {
  tableName: string;
  kind: VectorKind;
  modelId: string;
  dimensions: number;
}

/** vec0 table names are SQL identifiers: derive a safe one from the model id. */
function tableNameFor(kind: VectorKind, modelId: string): string {
  const slug = modelId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return `vec_${kind}_${slug}`;
}

export function findVectorTable(db: Db, kind: VectorKind, modelId: string): VectorTable | undefined {
  const row = prepared(
    db,
    'SELECT table_name AS tableName, kind, model_id AS modelId, dimensions FROM vector_tables WHERE kind = ? AND model_id = ?',
  ).get(kind, modelId) as VectorTable | undefined;
  return row;
}

export function listVectorTables(db: Db, kind?: VectorKind): VectorTable[] {
  const sql = 'SELECT table_name AS tableName, kind, model_id AS modelId, dimensions FROM vector_tables' + (kind ? ' WHERE kind = ?' : '');
  return (kind ? prepared(db, sql).all(kind) : prepared(db, sql).all()) as VectorTable[];
}

/**
 * Returns the vec0 table for a model, creating it on first use. Cosine distance, rowid = face id or
 * photo id. `extraColumns` lets a kind add sqlite-vec metadata columns (e.g. a date for filtered KNN).
 */
export function ensureVectorTable(db: Db, kind: VectorKind, modelId: string, dimensions: number, extraColumns = ''): VectorTable {
  const existing = findVectorTable(db, kind, modelId);
  if (existing) {
    if (existing.dimensions !== dimensions) {
      throw new FacetError(
        'conflict',
        `Model ${modelId} produced ${dimensions}-d vectors but the library stores ${existing.dimensions}-d for it.`,
      );
    }
    return existing;
  }
  const tableName = tableNameFor(kind, modelId);
  db.transaction(() => {
    db.exec(
      `CREATE VIRTUAL TABLE ${tableName} USING vec0(embedding float[${dimensions}] distance_metric=cosine${extraColumns ? `, ${extraColumns}` : ''})`,
    );
    prepared(db, 'INSERT INTO vector_tables (table_name, kind, model_id, dimensions) VALUES (?, ?, ?, ?)').run(
      tableName,
      kind,
      modelId,
      dimensions,
    );
  })();
  return { tableName, kind, modelId, dimensions };
}
