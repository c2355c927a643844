import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'vitest';

/**
 * Real models and photos live in ../shared (never in this repository). Where it is missing, as in a
 * user's clone, the tests that need it are skipped with this reason instead of silently passing.
 */
export const SHARED_DIR = path.resolve(process.env.FACET_SHARED_DIR ?? path.join(__dirname, '..', '..', '..', 'shared'));
export const SHARED_MODELS = path.join(SHARED_DIR, 'models');
export const SHARED_PHOTOS = path.join(SHARED_DIR, 'photos');
export const HAS_SHARED = fs.existsSync(path.join(SHARED_MODELS, 'face_detection_yunet_2023mar.onnx'));
export const SHARED_SKIP_REASON = `../shared is missing (looked in ${SHARED_DIR}): real-model tests skipped`;

/** `describe` that is skipped, with its reason in the title, when ../shared is absent. */
export const describeWithShared: typeof describe = HAS_SHARED
  ? describe
  : (((name: string, ...rest: unknown[]) =>
      (describe.skip as (...a: unknown[]) => void)(`${name} [skipped: ${SHARED_SKIP_REASON}]`, ...rest)) as unknown as typeof describe);

export function sharedModel(file: string): string {
  return path.join(SHARED_MODELS, file);
}

export function sharedPhotos(...parts: string[]): string {
  return path.join(SHARED_PHOTOS, ...parts);
}

/** Reads a labels.csv (header row, comma-separated, no quoted commas in these files). */
export function readLabels(file: string): Record<string, string>[] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const keys = (header ?? '').split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']));
  });
}
