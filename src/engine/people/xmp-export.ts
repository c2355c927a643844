import fs from 'node:fs';
import path from 'node:path';
import type { XmpExportResult } from '../../common/api/people';
import type { Library } from '../library/library';
import { buildXmpSidecar, FACET_CREATOR_TOOL, type NamedRegion } from './xmp-sidecar';
import { namedFaceRegions } from '../library/people-store';
import { OrganizerStore } from '../library/organizer-store';

/** Adobe's convention (photo.jpg → photo.xmp), which Lightroom requires and digiKam reads. */
export function sidecarPath(photoPath: string): string {
  return path.join(path.dirname(photoPath), `${path.parse(photoPath).name}.xmp`);
}

export interface XmpExportOptions {
  /** Photos written by an earlier run of the same job. */
  skip?: ReadonlySet<number>;
  onTotal?(total: number): void;
  /** After the photo's sidecar is in place (a resumed job does not write it again). */
  onPhotoWritten?(photoId: number): void;
  /** Between photos: throws to stop (pause, cancel, quit). */
  checkpoint?(): void;
}

interface SidecarContent {
  path: string;
  width: number;
  height: number;
  regions: NamedRegion[];
  albums: string[];
}

/**
 * Writes an XMP sidecar next to every photo that has a named (visible) person or is in an album: the
 * named face regions, and the albums as MWG collections. Originals are never opened for writing. A
 * sidecar another program wrote is left alone (it may hold the user's ratings or edits): only files
 * Facet created are rewritten.
 */
export function exportXmpSidecars(library: Library, options: XmpExportOptions = {}): XmpExportResult {
  const photos = new Map<number, SidecarContent>();
  const photoFor = (r: { photoId: number; path: string; width: number; height: number }): SidecarContent => {
    const photo = photos.get(r.photoId) ?? { path: r.path, width: r.width, height: r.height, regions: [], albums: [] };
    photos.set(r.photoId, photo);
    return photo;
  };
  for (const r of namedFaceRegions(library.db)) photoFor(r).regions.push({ name: r.name, box: [r.box_x, r.box_y, r.box_w, r.box_h] });
  for (const r of new OrganizerStore(library.db).albumMemberships()) photoFor(r).albums.push(r.album);
  options.onTotal?.(photos.size);
  const result: XmpExportResult = { written: 0, skipped: [] };
  for (const [photoId, photo] of photos) {
    if (options.skip?.has(photoId)) continue;
    options.checkpoint?.();
    const target = sidecarPath(photo.path);
    try {
      if (fs.existsSync(target) && !fs.readFileSync(target, 'utf8').includes(`xmp:CreatorTool="${FACET_CREATOR_TOOL}"`)) {
        result.skipped.push({ path: target, reason: 'a sidecar written by another program is already there' });
        continue;
      }
      const temporary = `${target}.facet-tmp`;
      fs.writeFileSync(temporary, buildXmpSidecar(photo.width, photo.height, photo.regions, photo.albums));
      fs.renameSync(temporary, target);
      result.written++;
      options.onPhotoWritten?.(photoId);
    } catch (error) {
      result.skipped.push({ path: target, reason: (error as Error).message });
    }
  }
  return result;
}
