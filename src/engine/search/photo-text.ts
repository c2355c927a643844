import type { PhotoText, PhotoTextLine } from '../../common/api/text';
import { FacetError } from '../../common/errors';
import type { Library } from '../library/library';
import { type StoredTextLine, TextStore } from '../library/text-store';
import { boundingBox, rectCorners } from '../ml/ocr/geometry';

/** The text recognised in one photo, for `facet text` and the viewer's selectable text. */
export function photoText(library: Library, photoId: number): PhotoText {
  const photo = library.db.prepare('SELECT path, status, error FROM photos WHERE id = ?').get(photoId) as
    { path: string; status: string; error: string | null } | undefined;
  if (!photo) throw new FacetError('not_found', `No photo with id ${photoId}.`);
  // A photo indexing could not decode is never read for text either: say why, not "not read yet".
  if (photo.status === 'failed' || photo.status === 'unsupported') {
    return {
      photoId,
      photo: photo.path,
      state: 'failed',
      error: photo.error ?? `the photo is ${photo.status}`,
      lines: [],
      truncated: false,
    };
  }
  const store = new TextStore(library.db);
  const scan = store.scan(photoId);
  const lines = store.lines(photoId).map(toApiLine);
  if (scan?.error)
    return {
      photoId,
      photo: photo.path,
      state: 'failed',
      error: `its text could not be read (${scan.failures} attempt${scan.failures === 1 ? '' : 's'}): ${scan.error}`,
      lines: [],
      truncated: false,
    };
  const state = !scan || scan.state === 'candidate' ? 'pending' : lines.length > 0 ? 'read' : 'none';
  return { photoId, photo: photo.path, state, lines, truncated: scan?.truncated ?? false };
}

function toApiLine(line: StoredTextLine): PhotoTextLine {
  const rect = { cx: line.cx, cy: line.cy, width: line.width, height: line.height, angle: line.angle };
  const round = (v: number) => Math.round(v * 10) / 10;
  const [x, y, w, h] = boundingBox(rect);
  return {
    text: line.text,
    confidence: Math.round(line.confidence * 1000) / 1000,
    language: line.language,
    box: [round(x), round(y), round(w), round(h)],
    quad: rectCorners(rect).map(([px, py]) => [round(px), round(py)]) as PhotoTextLine['quad'],
  };
}
