import { z } from 'zod';
import type { JobInfo } from './jobs';
import { channel } from './channel';
import { photoId } from './ids';
import type { Device } from './device';

export type Box = [x: number, y: number, width: number, height: number];
export type Point = [x: number, y: number];
/** Every state a file can be in (the photos.status CHECK of migration 1): one list for the API, the CLI and search. */
export const FILE_STATUSES = ['indexed', 'failed', 'unsupported', 'missing', 'offline', 'pending'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** `facet files --json`: one object per file. Paths are absolute. */
export interface FileInfo {
  id: number;
  path: string;
  status: FileStatus;
  error?: string;
  width: number | null;
  height: number | null;
  takenAt: string | null;
  faces: number;
  /** Where it was taken (offline reverse geocoding of its GPS); null without GPS. city/country null far from any town. */
  place: PlaceInfo | null;
}

export interface PlaceInfo {
  lat: number;
  lon: number;
  /** The city a person would name (GeoNames, English). */
  city: string | null;
  /** English country name. */
  country: string | null;
}

/** `facet faces --json`: one object per face; boxes and landmarks in upright original pixels. */
export interface FaceInfo {
  id: number;
  photo: string;
  photoId: number;
  box: Box;
  score: number;
  landmarks: Point[];
  quality: number;
  person: number | null;
  personName: string | null;
  confidence: number | null;
  suggestion?: { personId: number; personName: string; confidence: number };
}

export interface PhotoSummary {
  id: number;
  path: string;
  width: number | null;
  height: number | null;
  takenAt: string | null;
  status: FileStatus;
  /** Without a capture date: the file's modification date, which orders it (labelled as such in the app). */
  fileDate?: string | null;
  favourite?: boolean;
}

export interface PhotoDetail extends PhotoSummary {
  size: number;
  format: string | null;
  camera: string | null;
  gps: { lat: number; lon: number } | null;
  faces: FaceInfo[];
}

export interface FolderInfo {
  id: number;
  path: string;
  /** The path as the app shows it: `~/Pictures` for a folder inside the user's home. */
  displayPath: string;
  status: 'online' | 'offline';
  photos: number;
  lastScanAt: string | null;
}

/** Models running in `size` worker threads, or on the main thread when `failed` says why they could not start there. */
export interface WorkerThreads {
  size: number;
  failed: string | null;
}

export interface LibraryStatus {
  library: string;
  schemaVersion: number;
  counts: {
    photos: number;
    indexed: number;
    failed: number;
    unsupported: number;
    missing: number;
    offline: number;
    faces: number;
    unassignedFaces: number;
    people: number;
  };
  models: { id: string; task: string; installed: boolean }[];
  /** Of the process that runs the models (the app's worker; the CLI itself). null before any session. */
  executionProvider: string | null;
  fallbackReason: string | null;
  /** Model files with an open session in that process. */
  modelsLoaded: string[];
  device: Device;
  /** What decodes HEVC HEIC photos: the platform's decoder (libheif, ImageIO, WIC) or WebAssembly, and why not native. */
  heicDecoder: {
    decoder: 'libheif' | 'imageio' | 'wic' | 'wasm';
    reason: string | null;
    /** Why WebAssembly decodes run on that process's main thread, one at a time, instead of in worker threads; null when they do not. */
    workersFailed: string | null;
  };
  /**
   * The worker threads of the face models and of the text models in that process: null until those
   * models were opened there; `failed` says why they could not start, and the models then run on the
   * main thread (slower: on two cores, one of them waits).
   */
  inferenceWorkers: { face: WorkerThreads | null; text: WorkerThreads | null };
  /** Per CLIP model with vectors: how many indexed photos it covers; `search` marks the one search reads. */
  clipCoverage: { modelId: string; photos: number; installed: boolean; search: boolean }[];
  /** The job queue: unfinished jobs and the latest finished ones. */
  jobs: JobInfo[];
}

export interface IndexProgress {
  phase: 'idle' | 'scanning' | 'indexing' | 'clustering' | 'text' | 'paused' | 'done';
  /** Photos this run has handled, of `total` it has to (new and changed files only). */
  done: number;
  total: number;
  /**
   * Photos of the run's folders already indexed and unchanged when it started: what the library has
   * besides this run's work, so the app can say "64 + done of 64 + total", never "47 of 47" in a
   * 111-photo library.
   */
  upToDate: number;
  photosPerSecond: number;
  etaSeconds: number | null;
  current: string | null;
  failed: number;
}

/** Progress before any run (and of a process that runs none): the engine's, the app's and the CLI's start. */
export const IDLE_INDEX_PROGRESS: Readonly<IndexProgress> = {
  phase: 'idle',
  done: 0,
  total: 0,
  upToDate: 0,
  photosPerSecond: 0,
  etaSeconds: null,
  current: null,
  failed: 0,
};

export interface IndexSummary {
  indexed: number;
  unchanged: number;
  failed: number;
  unsupported: number;
  missing: number;
  faces: number;
  seconds: number;
}

const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(500) };

export const libraryChannels = {
  'library.status': channel<LibraryStatus>('worker')(z.object({}).strict()),
  'library.files': channel<FileInfo[]>('main')(z.object({ status: z.enum(FILE_STATUSES).optional(), ...page }).strict()),
  /** Photos by capture date (newest first) for the grid; `count` lets the grid size itself before paging. */
  'library.photos': channel<{ total: number; photos: PhotoSummary[] }>('main')(z.object(page).strict()),
  'library.photo': channel<PhotoDetail>('main')(z.object({ id: photoId }).strict()),
  'library.faces': channel<FaceInfo[]>('main')(
    z.object({ photoId: photoId.optional(), unassigned: z.boolean().optional(), ...page }).strict(),
  ),
  'folders.list': channel<FolderInfo[]>('main')(z.object({}).strict()),
  'folders.add': channel<FolderInfo>('main')(z.object({ path: z.string().min(1).max(4096) }).strict()),
  'folders.remove': channel<{ removed: boolean }>('main')(z.object({ id: z.number().int().positive() }).strict()),
  'index.start': channel<{ started: boolean }>('worker')(
    z.object({ folderIds: z.array(z.number().int().positive()).max(1000).optional() }).strict(),
  ),
  'index.pause': channel<{ paused: boolean }>('worker')(z.object({}).strict()),
  'index.resume': channel<{ paused: boolean }>('worker')(z.object({}).strict()),
  'index.progress': channel<IndexProgress>('worker')(z.object({}).strict()),
} as const;
