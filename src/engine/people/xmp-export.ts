import fs from 'node:fs';
import path from 'node:path';
import type { XmpExportResult } from '../../common/api/people';
import type { Library } from '../library/library';
import { buildXmpSidecar, FACET_CREATOR_TOOL, type NamedRegion } from './xmp-sidecar';

/** Adobe's convention (photo.jpg → photo.xmp), which Lightroom requires and digiKam reads. */
export function sidecarPath(photoPath: string): string {
  return path.join(path.dirname(photoPath), `${path.parse(photoPath).name}.xmp`);
}

/**
 * Writes an XMP sidecar with the named face regions next to every photo that has a named (visible)
 * person. Originals are never opened for writing. A sidecar another program wrote is left alone
 * (it may hold the user's ratings or edits): only files Facet created are rewritten.
 */
export function exportXmpSidecars(library: Library): XmpExportResult {
  const rows = library.db
    .prepare(`SELECT ph.id AS photoId, ph.path, ph.width, ph.height, pe.name, f.box_x, f.box_y, f.box_w, f.box_h
              FROM faces f JOIN people pe ON pe.id = f.person_id JOIN photos ph ON ph.id = f.photo_id
              WHERE pe.name IS NOT NULL AND pe.hidden = 0 AND ph.status = 'indexed' AND ph.width > 0 AND ph.height > 0
              ORDER BY ph.id, f.box_x`)
    .all() as { photoId: number; path: string; width: number; height: number; name: string; box_x: number; box_y: number; box_w: number; box_h: number }[];
  const photos = new Map<number, { path: string; width: number; height: number; regions: NamedRegion[] }>();
  for (const r of rows) {
    const photo = photos.get(r.photoId) ?? { path: r.path, width: r.width, height: r.height, regions: [] };
    photo.regions.push({ name: r.name, box: [r.box_x, r.box_y, r.box_w, r.box_h] });
    photos.set(r.photoId, photo);
  }
  const result: XmpExportResult = { written: 0, skipped: [] };
  for (const photo of photos.values()) {
    const target = sidecarPath(photo.path);
    try {
      if (fs.existsSync(target) && !fs.readFileSync(target, 'utf8').includes(`xmp:CreatorTool="${FACET_CREATOR_TOOL}"`)) {
        result.skipped.push({ path: target, reason: 'a sidecar written by another program is already there' });
        continue;
      }
      const temporary = `${target}.facet-tmp`;
      fs.writeFileSync(temporary, buildXmpSidecar(photo.width, photo.height, photo.regions));
      fs.renameSync(temporary, target);
      result.written++;
    } catch (error) {
      result.skipped.push({ path: target, reason: (error as Error).message });
    }
  }
  return result;
}
