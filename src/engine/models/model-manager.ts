import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ModelStatus, ModelVerification } from '../../common/api/models';
import { FacetError, isFacetError } from '../../common/errors';
import { downloadFile } from './download-file';
import { downloadPolicy, type DownloadPolicy } from './download-policy';
import { digestFile } from './file-digest';
import { bundledManifest } from './manifest';
import type { ModelEntry, ModelFile, ModelManifest, ModelTask } from './manifest-schema';
import { readUserModels, saveUserModel } from './user-models';
import { VerificationCache } from './verification-cache';
import { unpackedPath } from '../util/unpacked-path';

export interface ModelManagerOptions {
  /** The library's `models/` folder: downloads go to `<libraryModelsDir>/<id>/<name>`. */
  libraryModelsDir: string;
  /** `--models DIR` / FACET_MODELS_DIR: a folder of model files, searched first. */
  modelsDir?: string;
  manifest?: ModelManifest;
  /** Tests: a fetch to point downloads elsewhere. */
  fetchImpl?: typeof fetch;
  /** Tests only: accept plain http to a loopback address (the manifest's URLs point there). */
  allowHttpLoopback?: boolean;
  /** Tests: pause between download attempts (ms). */
  retryDelayMs?: number;
  /** Tests: shorter waits for an answer and between chunks than the defaults (download-file.ts). */
  connectTimeoutMs?: number;
  stallTimeoutMs?: number;
  /**
   * FACET_MODEL_MIRROR / the app's setting: fetch each file from `<mirror>/<model id>/<file name>`
   * instead of the manifest's host, verified against the same sha256.
   */
  mirror?: string;
}

/** The face tasks whose default models `facet models download --defaults` installs. */
export const DEFAULT_TASKS: readonly ModelTask[] = ['face-detection', 'face-embedding'];

export interface ResolvedModel {
  entry: ModelEntry;
  /** Absolute path of each file, by its role ('model', 'visual', 'textual', 'tokenizer', ...). */
  files: Record<string, string>;
  location: string;
}

export interface DownloadOptions {
  onProgress?(received: number, total: number | null): void;
  signal?: AbortSignal;
}

/** File name of the verification cache inside the library's models folder. */
export const VERIFICATION_CACHE_FILE = 'verified.json';

/**
 * Knows which models exist (the manifest), where their files are (a --models folder, then the
 * library), whether they are intact (sha256, cached by size+mtime) and how to fetch them.
 */
export class ModelManager {
  private current: ModelManifest;
  private readonly userIds: Set<string>;
  readonly libraryModelsDir: string;
  private readonly cache: VerificationCache;
  private policy: DownloadPolicy;
  private mirror: string | undefined;
  private readonly downloads = new Map<string, Promise<void>>();

  constructor(private readonly options: ModelManagerOptions) {
    this.libraryModelsDir = path.resolve(options.libraryModelsDir);
    const shipped = options.manifest ?? bundledManifest();
    const user = readUserModels(this.libraryModelsDir).filter((m) => !shipped.models.some((s) => s.id === m.id));
    this.userIds = new Set(user.map((m) => m.id));
    this.current = { ...shipped, models: [...shipped.models, ...user] };
    this.cache = new VerificationCache(path.join(this.libraryModelsDir, VERIFICATION_CACHE_FILE));
    this.mirror = options.mirror;
    this.policy = downloadPolicy(shipped, options.allowHttpLoopback, options.mirror ? mirrorUrl(options.mirror) : undefined);
  }

  /** The app's Settings changed the mirror: downloads from now on use it (undefined: the manifest's hosts). */
  setMirror(mirror: string | undefined): void {
    this.policy = downloadPolicy(this.options.manifest ?? bundledManifest(), this.options.allowHttpLoopback, mirror ? mirrorUrl(mirror) : undefined);
    this.mirror = mirror;
  }

  /** The shipped manifest plus the models the user added. */
  get manifest(): ModelManifest {
    return this.current;
  }

  /** The default model of each face task: what `facet models download --defaults` installs. */
  defaultIds(): string[] {
    return DEFAULT_TASKS.map((task) => this.defaultFor(task).id);
  }

  /**
   * Registers a model whose files are already copied into the library's `<id>/` folder, with each
   * file's sha256 and size recorded (later damage is caught like any download's).
   */
  registerUserModel(entry: ModelEntry): void {
    this.assertUserModelId(entry.id);
    saveUserModel(this.libraryModelsDir, entry);
    this.userIds.add(entry.id);
    this.current = { ...this.current, models: [...this.current.models.filter((m) => m.id !== entry.id), entry] };
  }

  /** A user's model may not take a shipped model's id: its folder is that model's download. */
  assertUserModelId(id: string): void {
    if (this.current.models.some((m) => m.id === id && !this.userIds.has(m.id))) {
      throw new FacetError('conflict', `"${id}" is the id of a model Facet ships; choose another with --id.`);
    }
  }

  /** Where a model's own folder in the library is (downloads and added models go there). */
  libraryFolder(id: string): string {
    return path.join(this.libraryModelsDir, id);
  }

  list(): ModelStatus[] {
    return this.manifest.models.map((entry) => this.statusOf(entry));
  }

  status(id: string): ModelStatus {
    const entry = this.entry(id);
    return this.statusOf(entry);
  }

  entry(id: string): ModelEntry {
    const found = this.manifest.models.find((m) => m.id === id);
    if (!found) throw new FacetError('not_found', `No model "${id}". Known models: ${this.manifest.models.map((m) => m.id).join(', ')}.`);
    return found;
  }

  hasDefaultFor(task: ModelTask): boolean {
    return this.manifest.models.some((m) => m.task === task && m.default);
  }

  defaultFor(task: ModelTask): ModelEntry {
    const found = this.manifest.models.find((m) => m.task === task && m.default);
    if (!found) throw new FacetError('not_found', `The model manifest has no default ${task} model.`);
    return found;
  }

  installedFor(task: ModelTask): ModelEntry[] {
    return this.manifest.models.filter((m) => m.task === task && this.locate(m) !== null);
  }

  /** Paths of the model's files, each verified against its checksum before it is handed out. */
  async resolve(id: string): Promise<ResolvedModel> {
    const entry = this.entry(id);
    const location = this.locate(entry);
    if (!location) {
      const looked = this.candidateDirs(entry).join(', ');
      // The face models are one command for everyone; other models are fetched by their id.
      const command = DEFAULT_TASKS.includes(entry.task) && entry.default ? 'facet models download --defaults' : `facet models download ${entry.id}`;
      throw new FacetError(
        'model_missing',
        `The ${entry.task} model "${entry.id}" (${entry.title}) is not installed (looked in ${looked}). ` +
          `Get it with: ${command} (or point --models DIR at a folder holding ${entry.files.map((f) => path.basename(f.name)).join(', ')}).`,
      );
    }
    const files: Record<string, string> = {};
    for (const file of entry.files) {
      const filePath = this.filePath(location, file);
      await this.verifyFile(entry, file, filePath);
      files[file.role] = filePath;
    }
    return { entry, files, location };
  }

  async verify(id: string): Promise<ModelVerification> {
    try {
      await this.resolve(id);
      return { id, ok: true };
    } catch (error) {
      if (isFacetError(error) && (error.code === 'model_missing' || error.code === 'model_corrupt')) {
        return { id, ok: false, error: { code: error.code, message: error.message } };
      }
      throw error;
    }
  }

  /** Downloads every missing or damaged file into the library; concurrent calls for one id share the work. */
  download(id: string, options: DownloadOptions = {}): Promise<void> {
    const entry = this.entry(id);
    const running = this.downloads.get(id);
    if (running) return running;
    const job = this.downloadEntry(entry, options)
      .catch((error: unknown) => {
        // A rejected file leaves no folder behind; a partial kept for resuming keeps its folder.
        removeEmptyDirs(this.libraryDir(entry));
        throw error;
      })
      .finally(() => this.downloads.delete(id));
    this.downloads.set(id, job);
    return job;
  }

  /** Deletes the library's copy; a --models folder belongs to the user and is left alone. */
  async remove(id: string): Promise<boolean> {
    const dir = this.libraryDir(this.entry(id));
    if (!fs.existsSync(dir)) return false;
    await fs.promises.rm(dir, { recursive: true, force: true });
    this.cache.deleteUnder(dir);
    return true;
  }

  private statusOf(entry: ModelEntry): ModelStatus {
    const location = this.locate(entry);
    const knownBytes = entry.files.every((f) => f.bytes !== undefined) ? sum(entry.files.map((f) => f.bytes ?? 0)) : null;
    const bytes = location ? sum(entry.files.map((f) => fs.statSync(this.filePath(location, f)).size)) : knownBytes;
    return { id: entry.id, task: entry.task, title: entry.title, default: entry.default, installed: location !== null, bytes, location, source: this.userIds.has(entry.id) ? 'user' : 'manifest' };
  }

  private async downloadEntry(entry: ModelEntry, options: DownloadOptions): Promise<void> {
    const dir = this.libraryDir(entry);
    const sizes = new Map<string, number | null>(entry.files.map((f) => [f.name, f.bytes ?? null]));
    const received = new Map<string, number>();
    const report = () => {
      const totals = [...sizes.values()];
      const total = totals.every((t) => t !== null) ? sum(totals as number[]) : null;
      options.onProgress?.(sum([...received.values()]), total);
    };
    for (const file of entry.files) {
      const dest = path.join(dir, file.name);
      if (await this.isIntact(entry, file, dest)) {
        const { size } = fs.statSync(dest);
        sizes.set(file.name, size);
        received.set(file.name, size);
        report();
        continue;
      }
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (this.userIds.has(entry.id)) throw new FacetError('model_missing', `${entry.id} was added by the user from ${path.dirname(file.url)}; add it again with: facet models add <folder> --id ${entry.id}`);
      await downloadFile({
        url: this.mirror ? `${mirrorUrl(this.mirror)}/${encodeURIComponent(entry.id)}/${file.name.split('/').map(encodeURIComponent).join('/')}` : file.url,
        dest,
        sha256: file.sha256,
        bytes: file.bytes,
        policy: this.policy,
        fetchImpl: this.options.fetchImpl ?? fetch,
        signal: options.signal,
        retryDelayMs: this.options.retryDelayMs,
        connectTimeoutMs: this.options.connectTimeoutMs,
        stallTimeoutMs: this.options.stallTimeoutMs,
        onProgress: (bytes, total) => {
          received.set(file.name, bytes);
          if (total !== null) sizes.set(file.name, total);
          report();
        },
      }).then((digest) => this.cache.set(dest, fs.statSync(dest), digest.sha256));
    }
  }

  private async isIntact(entry: ModelEntry, file: ModelFile, filePath: string): Promise<boolean> {
    if (!fs.existsSync(filePath)) return false;
    try {
      await this.verifyFile(entry, file, filePath);
      return true;
    } catch (error) {
      if (isFacetError(error) && error.code === 'model_corrupt') return false;
      throw error;
    }
  }

  /**
   * A file with a manifest sha256 must match it. One without (ETag-verified at download) must still
   * match the sha256 recorded then; a file never seen before (dropped into --models) is trusted and
   * recorded, so later damage is still caught.
   */
  private async verifyFile(entry: ModelEntry, file: ModelFile, filePath: string): Promise<void> {
    const stat = fs.statSync(filePath);
    const corrupt = (why: string) =>
      new FacetError('model_corrupt', `The model "${entry.id}" is damaged: ${filePath} ${why}. Delete it and run: facet models download ${entry.id}`);
    if (file.bytes !== undefined && stat.size !== file.bytes) throw corrupt(`has ${stat.size} bytes, expected ${file.bytes}`);
    const record = this.cache.get(filePath);
    const expected = file.sha256 ?? record?.sha256;
    if (VerificationCache.isFresh(record, stat) && (expected === undefined || record.sha256 === expected)) return;
    const { sha256 } = await digestFile(filePath);
    if (expected !== undefined && sha256 !== expected) throw corrupt(`has sha256 ${sha256}, expected ${expected}`);
    this.cache.set(filePath, stat, sha256);
  }

  private libraryDir(entry: ModelEntry): string {
    return path.join(this.libraryModelsDir, entry.id);
  }

  /** --models DIR holds files flat by name (or in `<id>/` for multi-file models whose names repeat); the library by id. */
  private candidateDirs(entry: ModelEntry): string[] {
    const dirs: string[] = [];
    if (this.options.modelsDir) dirs.push(this.options.modelsDir, path.join(this.options.modelsDir, entry.id));
    dirs.push(this.libraryDir(entry));
    const embedded = entry.embedded ? embeddedDir(entry.embedded) : null;
    if (embedded) dirs.push(embedded);
    return dirs.map((d) => path.resolve(d));
  }

  private filePath(location: string, file: ModelFile): string {
    return path.join(location, file.name);
  }

  private locate(entry: ModelEntry): string | null {
    return this.candidateDirs(entry).find((dir) => entry.files.every((f) => fs.existsSync(this.filePath(dir, f)))) ?? null;
  }
}

/**
 * The folder of an embedded model's files inside its npm package, or null when the package is not
 * installed. Looked up along Node's own module paths (the package's `exports` hide its package.json).
 */
function embeddedDir(embedded: { package: string; dir: string }): string | null {
  const bases = createRequire(__filename).resolve.paths(embedded.package) ?? [];
  for (const base of bases) {
    // In a packaged app the files are unpacked beside app.asar (electron-builder.yml), where onnxruntime can open them.
    const dir = unpackedPath(path.join(base, embedded.package, embedded.dir));
    if (fs.existsSync(dir)) return dir;
  }
  return null;
}

/** A mirror's base URL without a trailing slash; a malformed one is a clear error at first use. */
function mirrorUrl(mirror: string): string {
  let url: URL;
  try {
    url = new URL(mirror);
  } catch {
    throw new FacetError('invalid_argument', `FACET_MODEL_MIRROR is not a URL: "${mirror}" (e.g. https://models.example.org/facet).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FacetError('invalid_argument', `FACET_MODEL_MIRROR must be an http(s) URL (got ${url.protocol}).`);
  return url.href.replace(/\/+$/, '');
}

/** Removes `dir` and its sub-folders when they hold no file; best effort. */
function removeEmptyDirs(dir: string): void {
  try {
    for (const child of fs.readdirSync(dir, { withFileTypes: true })) if (child.isDirectory()) removeEmptyDirs(path.join(dir, child.name));
    fs.rmdirSync(dir);
  } catch {
    // Not empty (a partial to resume) or already gone.
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
