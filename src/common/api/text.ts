import { z } from 'zod';
import { channel } from './channel';
import { photoId } from './ids';

/** A line of text recognised in a photo. Geometry is in the upright (EXIF-rotated) original's pixels. */
export interface PhotoTextLine {
  text: string;
  /** The recogniser's mean character probability, 0..1. */
  confidence: number;
  /** By script: 'en' (Latin letters), 'zh' (Han), 'ko' (Hangul), 'und' (digits and symbols only). */
  language: string;
  /** The axis-aligned box around the line: [x, y, width, height]. */
  box: [number, number, number, number];
  /** The line's own (possibly rotated) rectangle: top-left, top-right, bottom-right, bottom-left, in reading order. */
  quad: [[number, number], [number, number], [number, number], [number, number]];
}

export interface PhotoText {
  photoId: number;
  /** Absolute path. */
  photo: string;
  /**
   * 'none': no text found; 'pending': not read yet (the `backfill-text` job runs after index runs);
   * 'read': the lines below; 'failed': the photo itself could not be read (see `error`), so its text never will be.
   */
  state: 'none' | 'pending' | 'read' | 'failed';
  /** Why the photo could not be read (state 'failed' only). */
  error?: string;
  lines: PhotoTextLine[];
  /** More text regions than the per-photo cap were found: only the strongest lines were read. */
  truncated: boolean;
}

/** The library's "read text in photos" switch (Settings); on by default. */
export interface TextReading {
  enabled: boolean;
}

export const textChannels = {
  'text.photo': channel<PhotoText>('main')(z.object({ photoId }).strict()),
  'text.reading': channel<TextReading>('main')(z.object({}).strict()),
  /** Off: nothing more is read (what was read stays searchable); on: the photos not read yet are queued at once. */
  'text.setReading': channel<TextReading>('worker')(z.object({ enabled: z.boolean() }).strict()),
} as const;
