import { z } from 'zod';
import { channel } from './channel';
import { id, photoId } from './ids';
import type { PhotoSummary } from './library';

export interface AlbumSummary {
  id: number;
  name: string;
  photos: number;
  /** The first photo added, shown on the album's card. */
  coverPhotoId: number | null;
}

/** An album's name: trimmed, 1–200 characters, no control characters (like a person's name). */
export const albumName = z
  .string()
  .trim()
  .min(1, 'An album name cannot be empty.')
  .max(200, 'An album name can be at most 200 characters.')
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'An album name cannot contain control characters.');
export const albumId = id.describe('album id');
const photoIds = z.array(photoId).min(1, 'Give at least one photo.').max(100_000);
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(500) };

const photoSource = z.object({ albumId: albumId.optional(), favourites: z.literal(true).optional() }).strict();

/**
 * Favourites, albums and "not duplicates": what a user organizes by hand, kept in the library by photo
 * id (so it survives re-indexing, moves and renames as names do).
 */
export const organizerChannels = {
  'favourites.set': channel<{ changed: number }>('main')(z.object({ photoIds, favourite: z.boolean() }).strict()),
  /** The favourites or one album's photos, in the grid's order. */
  'albums.photos': channel<{ total: number; photos: PhotoSummary[] }>('main')(
    z.union([z.object({ albumId, ...page }).strict(), z.object({ favourites: z.literal(true), ...page }).strict()]),
  ),
  /** Photos per month (YYYY-MM, "unknown" last) of the library, the favourites or an album: the date scrubber. */
  'library.months': channel<{ month: string; count: number }[]>('main')(photoSource),
  'albums.list': channel<AlbumSummary[]>('main')(z.object({}).strict()),
  'albums.create': channel<AlbumSummary>('main')(
    z.object({ name: albumName, photoIds: z.array(photoId).max(100_000).default([]) }).strict(),
  ),
  'albums.rename': channel<AlbumSummary>('main')(z.object({ id: albumId, name: albumName }).strict()),
  /** The album goes; its photos stay in the library. */
  'albums.delete': channel<{ deleted: boolean }>('main')(z.object({ id: albumId }).strict()),
  'albums.add': channel<{ added: number }>('main')(z.object({ id: albumId, photoIds }).strict()),
  'albums.remove': channel<{ removed: number }>('main')(z.object({ id: albumId, photoIds }).strict()),
  /** These photos are not duplicates of each other: never grouped again. */
  'duplicates.notDuplicates': channel<{ remembered: number }>('main')(
    z.object({ photoIds: photoIds.min(2, 'Give at least two photos.') }).strict(),
  ),
} as const;
