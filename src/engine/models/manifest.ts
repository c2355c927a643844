import bundledManifestJson from '../../../models/manifest.json';
import { FacetError } from '../../common/errors';
import { modelManifestSchema, type ModelManifest } from './manifest-schema';

/** Validates a manifest, turning zod's issues into one readable message. */
export function parseManifest(json: unknown, source = 'manifest'): ModelManifest {
  const parsed = modelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new FacetError('invalid_argument', `The model ${source} is invalid: ${issues}`);
  }
  return parsed.data;
}

let bundled: ModelManifest | undefined;

/**
 * The manifest shipped with Facet. Imported as JSON (not read from disk) so the CLI bundle and the
 * packaged app carry it without a path lookup into app.asar.
 */
export function bundledManifest(): ModelManifest {
  bundled ??= parseManifest(bundledManifestJson, 'manifest models/manifest.json');
  return bundled;
}
