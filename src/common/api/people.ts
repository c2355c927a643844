import { z } from 'zod';
import { channel } from './channel';
import { faceId, isoDate, personId, personName } from './ids';
import type { Box, FaceInfo } from './library';

/** `facet people --json`: one object per person (the CLI contract; keep these keys stable). */
export interface PersonSummary {
  id: number;
  name: string | null;
  faceCount: number;
  coverFaceId: number | null;
  hidden: boolean;
  /** Where the cover face is, so a list of thousands of people draws its cards without a call each. */
  cover: PersonCover | null;
}

export interface PersonCover {
  photoId: number;
  /** Upright original pixels, like every face box. */
  box: Box;
  photoWidth: number;
  photoHeight: number;
}

export interface PersonDetail extends PersonSummary {
  birthDate: string | null;
  confirmedCount: number;
  /** Faces whose best guess is this person but which are not assigned (waiting for the user). */
  suggestionCount: number;
}

/** What every edit returns: what changed, and the undo entry that reverses it. */
export interface EditResult {
  undoId: number;
  summary: string;
  /** The person the edit produced or targeted (e.g. the one a face was named into, a split's new person). */
  personId: number | null;
}

export interface UndoResult {
  undone: string | null;
}

/** What the per-library adapter was trained on (the user's confirmations and cannot-links). */
export interface LearnedSummary {
  faces: number;
  people: number;
  cannotLinks: number;
  seconds: number;
}

/**
 * One question of the review queue. `face`: a face's named best guess ("Is this Alice? 40%"), about
 * that face alone: a free face, or a member of an unnamed cluster no named person explains as a whole
 * (its members are asked one by one; `clusterId` says which). `cluster`: an unnamed cluster, asked
 * through its face `faceId`, with a guess ("Is this Alice? 12%") or without one ("Who is this?":
 * `personId`, `personName` and `confidence` null); answering it with a name (`people.nameCluster`)
 * names the whole cluster and confirms the faces shown (`faceIds`).
 */
export interface SuggestionInfo {
  kind: 'face' | 'cluster';
  faceId: number;
  photoId: number;
  personId: number | null;
  personName: string | null;
  /** Calibrated probability that the face is this person (low ones are shown too: "Is this Alice? 40%"). */
  confidence: number | null;
  /** Faces a "yes" (or a typed name) names: 1 for a lone face, the cluster's size for a cluster's question. */
  settles: number;
  /** The unnamed cluster (a person id) a `cluster` question is about, or a `face` question's face sits in; null for a free face. */
  clusterId: number | null;
  /** The faces to show: `faceId` first, then up to 3 of the cluster's most certain members. */
  faceIds: number[];
  /** The photo of each of `faceIds`, in the same order. */
  photoIds: number[];
}

/** `facet export-xmp`: sidecars written, and those left alone (with why). */
export interface XmpExportResult {
  written: number;
  skipped: { path: string; reason: string }[];
  /** The export-xmp job; `pending`: the app's worker writes them in the background (counts are 0 then). */
  jobId?: number;
  pending?: boolean;
}

const faceIds = z.array(faceId).min(1, 'Give at least one face.').max(100_000);
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(500) };

export const peopleChannels = {
  'people.list': channel<PersonSummary[]>('main')(z.object({ includeHidden: z.boolean().default(true) }).strict()),
  'people.get': channel<PersonDetail>('main')(z.object({ id: personId }).strict()),
  'people.faces': channel<FaceInfo[]>('main')(z.object({ id: personId, ...page }).strict()),
  /**
   * The review queue, clearest questions first; `personId`: guesses of that person (a person page),
   * `unassigned`: questions about faces that belong to nobody (the People page's unassigned section).
   */
  'people.suggestions': channel<SuggestionInfo[]>('main')(
    z.object({ personId: personId.optional(), unassigned: z.boolean().default(false), ...page }).strict(),
  ),
  'people.name': channel<EditResult>('main')(z.object({ id: personId, name: personName }).strict()),
  /**
   * Names one face: assigns it to the person with that name (created if needed); an unnamed cluster takes
   * the name whole, unless `alone` (the answer to a question about this face alone): then only it moves.
   */
  'people.nameFace': channel<EditResult>('main')(z.object({ faceId, name: personName, alone: z.boolean().default(false) }).strict()),
  /**
   * Answers a cluster question ("Who is this?" / "Is this Alice?") with a name: the faces (the ones the
   * user saw, all of one unnamed cluster) are confirmed as that person and the rest of the cluster joins
   * it; an existing name merges the cluster into that person, a new one names it.
   */
  'people.nameCluster': channel<EditResult>('main')(
    z.object({ faceIds: z.array(faceId).min(1, 'Give at least one face.').max(50), name: personName }).strict(),
  ),
  'people.merge': channel<EditResult>('main')(z.object({ id: personId, into: personId }).strict()),
  /** Several people into one, as one undoable edit; `into` keeps its name (the app asks which). */
  'people.mergeMany': channel<EditResult>('main')(z.object({ ids: z.array(personId).min(1).max(10_000), into: personId }).strict()),
  'people.move': channel<EditResult>('main')(z.object({ faceIds, to: personId }).strict()),
  'people.reject': channel<EditResult>('main')(z.object({ faceIds }).strict()),
  'people.split': channel<EditResult>('main')(z.object({ id: personId, faceIds }).strict()),
  'people.hide': channel<EditResult>('main')(z.object({ id: personId, hidden: z.boolean() }).strict()),
  'people.setCover': channel<EditResult>('main')(z.object({ id: personId, faceId }).strict()),
  'people.setBirthDate': channel<EditResult>('main')(z.object({ id: personId, birthDate: isoDate.nullable() }).strict()),
  'people.acceptSuggestions': channel<EditResult>('main')(z.object({ faceIds }).strict()),
  'people.rejectSuggestions': channel<EditResult>('main')(z.object({ faceIds }).strict()),
  'people.undo': channel<UndoResult>('main')(z.object({}).strict()),
  /** Writes MWG face-region XMP sidecars (names only) next to the originals, never touching them. */
  'people.exportXmp': channel<XmpExportResult>('worker')(z.object({}).strict()),
  /** Runs incremental clustering now (the indexer does it after every run). */
  'people.recluster': channel<{
    considered: number;
    assigned: number;
    newPeople: number;
    suggestions: number;
    seconds: number;
    learned: LearnedSummary | null;
    /** True when a job held the writer lock and `orQueue` left the refresh to the queued re-suggest job. */
    queued: boolean;
  }>('worker')(
    z
      .object({
        full: z.boolean().default(false),
        resetLearning: z.boolean().default(false),
        /** The app's refresh after an edit: while a job holds the writer lock, queue instead of waiting for it. */
        orQueue: z.boolean().default(false),
      })
      .strict(),
  ),
} as const;

export type PeopleChannel = keyof typeof peopleChannels;
