import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FacetError } from '../../common/errors';
import { ConverterShell } from './converter-shell';
import { withHugePageMalloc } from './huge-page-env';
import { type RgbaPixels, decodeHevcHeicInWorkers } from './hevc-heic';
import { ownedTempPrefix, removeStaleTempDirs } from './stale-temp-dirs';
import { type YCbCr420Planes, parseY4m } from './ycbcr-planes';
import { ReusableBuffers, readIntoReusable } from './reusable-buffers';

const run = promisify(execFile);

/**
 * HEVC-coded HEIC (most phone photos) through the platform's own decoder where it has one, on all
 * cores at once, with libheif in WebAssembly as the fallback:
 *
 * - Linux: libheif's `heif-convert` (Debian/Ubuntu: libheif-examples, with libde265). libheif applies
 *   the file's transforms (irot, imir, clap), so its output is upright.
 * - macOS: ImageIO through `sips`, which writes the orientation as EXIF rather than turning the pixels.
 * - Windows: WIC through PowerShell's WPF imaging when Microsoft's HEIF/HEVC extensions are installed.
 *   Written from the WIC documentation and NOT tested (no Windows machine here); any failure falls back.
 * - Everywhere: libheif-js (WebAssembly) in a pool of worker threads.
 *
 * The native tools write a JPEG (quality 95) to a temporary file (PNG takes six times longer: zlib). Where
 * the caller can use the picture at half size (`planes`: a large 8-bit photo), heif-convert writes the
 * decoded planes instead (raw Y4M, ycbcr-planes.ts): no JPEG to encode in the converter nor to decode here,
 * and the half-size RGB needs no chroma upsampling. Measured on 12 MP HEICs (README, "Large HEICs"): about
 * 0.1 s less CPU per photo in the converter and as much in this process. The Y4M writer applies the file's
 * transforms (irot, imir, clap) as the JPEG writer does (heic-half-size.test.ts turns a photo with irot).
 *
 * On Linux, heif-convert is started by a small long-lived shell (converter-shell.ts), not by this
 * process: forking the indexing process for each photo cost more CPU than the rest of Facet's work on it.
 *
 * One photo is decoded once; at most `os.availableParallelism()` decodes run at a time, so the full
 * size copies in flight (48 MB each at 12 MP) stay within the indexing limits whatever the number of
 * photos in flight.
 */
export type HeicDecoderKind = 'libheif' | 'imageio' | 'wic' | 'wasm';

export type HeicDecoded =
  | { kind: 'encoded'; data: Buffer; upright: boolean }
  | { kind: 'rgba'; pixels: RgbaPixels }
  /**
   * Upright 8-bit 4:2:0 planes (only when asked for with `planes`, and only from heif-convert): views into a
   * buffer the next decode reuses, so the caller calls `release` as soon as it has read them.
   */
  | { kind: 'planes'; planes: YCbCr420Planes; release: () => void };

interface NativeDecoder {
  kind: Exclude<HeicDecoderKind, 'wasm'>;
  /** Output pixels already carry the file's rotation (true), or the orientation is left in EXIF. */
  upright: boolean;
  /** It can write the decoded planes as Y4M (an output path ending in .y4m) as well as a JPEG. */
  writesPlanes: boolean;
  /** Writes `output`, whose extension says the format. */
  convert(input: string, output: string): Promise<unknown>;
}

const QUALITY = 95;
/** A hung converter must not hold one of the decode slots for ever: a 12 MP photo takes ~2 s here. */
const CONVERT_TIMEOUT_MS = 60_000;

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

function nativeDecoder(platform: NodeJS.Platform): NativeDecoder | null {
  if (platform === 'linux' || platform === 'freebsd') {
    const tool = onPath('heif-convert');
    if (!tool) return null;
    const args = ['--quiet', '-q', String(QUALITY)];
    const shell = new ConverterShell(tool, args, CONVERT_TIMEOUT_MS, { env: withHugePageMalloc(process.env) });
    return {
      kind: 'libheif',
      upright: true,
      writesPlanes: true,
      convert: (input, output) =>
        ConverterShell.accepts(input) && ConverterShell.accepts(output)
          ? shell.run(input, output)
          : run(tool, [...args, input, output], { timeout: CONVERT_TIMEOUT_MS }),
    };
  }
  if (platform === 'darwin') {
    const tool = fs.existsSync('/usr/bin/sips') ? '/usr/bin/sips' : null;
    return tool
      ? {
          kind: 'imageio',
          upright: false,
          writesPlanes: false,
          convert: (input, output) =>
            run(tool, ['-s', 'format', 'jpeg', '-s', 'formatOptions', String(QUALITY), input, '--out', output], {
              timeout: CONVERT_TIMEOUT_MS,
            }),
        }
      : null;
  }
  if (platform === 'win32') {
    // WPF's BitmapDecoder goes through WIC, which reads HEIC only with the HEIF + HEVC extensions.
    const script = [
      'Add-Type -AssemblyName PresentationCore',
      '$in = [System.IO.File]::OpenRead($args[0])',
      "$decoder = [System.Windows.Media.Imaging.BitmapDecoder]::Create($in, 'PreservePixelFormat', 'OnLoad')",
      '$encoder = New-Object System.Windows.Media.Imaging.JpegBitmapEncoder',
      `$encoder.QualityLevel = ${QUALITY}`,
      '$encoder.Frames.Add([System.Windows.Media.Imaging.BitmapFrame]::Create($decoder.Frames[0]))',
      '$out = [System.IO.File]::Create($args[1]); $encoder.Save($out); $out.Close(); $in.Close()',
    ].join('; ');
    return {
      kind: 'wic',
      upright: false,
      writesPlanes: false,
      convert: (input, output) =>
        run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `& { ${script} }`, input, output], {
          windowsHide: true,
          timeout: CONVERT_TIMEOUT_MS,
        }),
    };
  }
  return null;
}

const DECODER_CHOICES = ['native', 'wasm'] as const;

/**
 * `FACET_HEIC_DECODER=wasm` forces the WebAssembly decoder (tests, or a broken native install);
 * `native` (or unset) uses the platform's decoder where there is one. Anything else is refused, so a
 * typo does not silently keep the default.
 */
export function checkHeicDecoderChoice(): void {
  const choice = process.env.FACET_HEIC_DECODER;
  if (choice !== undefined && choice !== '' && !(DECODER_CHOICES as readonly string[]).includes(choice)) {
    throw new FacetError(
      'invalid_argument',
      `FACET_HEIC_DECODER=${choice} is not a HEIC decoder: use ${DECODER_CHOICES.join(' or ')}, or leave it unset`,
    );
  }
}

function chosenNative(): NativeDecoder | null {
  checkHeicDecoderChoice();
  if (process.env.FACET_HEIC_DECODER === 'wasm') return null;
  return nativeDecoder(process.platform);
}

let native: NativeDecoder | null | undefined;
/** Set when the native tool itself cannot be started (gone, or not executable): it is not used again. */
let nativeBroken: string | null = null;

/** Which decoder HEVC HEICs go through now (what `facet status` shows). */
export function heicDecoderInUse(): { decoder: HeicDecoderKind; reason: string | null } {
  native ??= chosenNative();
  if (native && !nativeBroken) return { decoder: native.kind, reason: null };
  return {
    decoder: 'wasm',
    reason:
      nativeBroken ?? (process.env.FACET_HEIC_DECODER === 'wasm' ? 'FACET_HEIC_DECODER=wasm' : 'no native HEIC decoder on this system'),
  };
}

/** Forget the choice (tests switch FACET_HEIC_DECODER between cases). */
export function resetHeicDecoder(): void {
  native = undefined;
  nativeBroken = null;
}

/** At most `free` holders at once; the rest wait in order. */
class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

const slots = new Semaphore(Math.max(1, os.availableParallelism()));

const TEMP_PREFIX = 'facet-heic-';
/**
 * The planes' read buffers (reusable-buffers.ts): two kept, as two decodes in flight on a 2-core machine
 * need, up to 40 MB (two 12 MP photos' 18 MB planes), let go after 20 s without a HEIC.
 */
const planeBuffers = new ReusableBuffers(2, 40 * 1024 * 1024, 20_000);

/** Once per process, before its first conversion: the folders of conversions killed mid-way go. */
let staleSweep: Promise<unknown> | null = null;

export interface HeicDecodeOptions {
  /**
   * The caller can use 8-bit 4:2:0 planes (a large 8-bit photo it wants at half size or less): the native
   * decoder that can write them does (Y4M); the others, and the WebAssembly fallback, decode as before.
   */
  planes?: boolean;
}

export async function decodeHeic(input: Buffer | string, options: HeicDecodeOptions = {}): Promise<HeicDecoded> {
  native ??= chosenNative();
  const decoder = nativeBroken ? null : native;
  if (!decoder) return { kind: 'rgba', pixels: await decodeHevcHeicInWorkers(await bytesOf(input)) };
  await (staleSweep ??= removeStaleTempDirs(os.tmpdir(), TEMP_PREFIX)); // one readdir per process
  const release = await slots.acquire();
  const dir = await fs.promises.mkdtemp(ownedTempPrefix(os.tmpdir(), TEMP_PREFIX));
  try {
    const source = typeof input === 'string' ? input : path.join(dir, 'in.heic');
    if (typeof input !== 'string') await fs.promises.writeFile(source, input);
    const extension = options.planes && decoder.writesPlanes ? 'y4m' : 'jpg';
    try {
      await decoder.convert(source, path.join(dir, `out.${extension}`));
      const written = await writtenImage(dir, extension);
      if (extension === 'jpg') return { kind: 'encoded', data: await fs.promises.readFile(written), upright: decoder.upright };
      const { bytes, release } = await readIntoReusable(written, planeBuffers);
      try {
        return { kind: 'planes', planes: parseY4m(bytes), release };
      } catch (error) {
        release();
        throw error;
      }
    } catch (error) {
      // A tool that cannot even start is broken for every file: use WebAssembly from now on. Any other
      // failure (an odd file, a full /tmp, a timeout, planes it wrote in another layout) concerns this file
      // alone: WebAssembly decodes it (or reports why it is damaged) and the next file tries the native tool again.
      if (isSpawnFailure(error)) nativeBroken = `${decoder.kind} cannot be started (${firstLine(error)}); using WebAssembly`;
      return { kind: 'rgba', pixels: await decodeHevcHeicInWorkers(await bytesOf(input)) };
    }
  } finally {
    release();
    fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * heif-convert writes `out.jpg` (or `.y4m`) for a file with one top-level image, and `out-1.jpg`, `out-2.jpg`,
 * … for a file with several (bursts, some phone sequences); the primary image is listed first.
 */
async function writtenImage(dir: string, extension: string): Promise<string> {
  const names = await fs.promises.readdir(dir);
  if (names.includes(`out.${extension}`)) return path.join(dir, `out.${extension}`);
  const numbered = names
    .map((name) => new RegExp(`^out-(\\d+)\\.${extension}$`).exec(name))
    .filter((match) => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  if (!numbered.length) throw new Error('the decoder wrote no image');
  return path.join(dir, numbered[0]![0]);
}

/** The tool could not be started at all (spawn's ENOENT/EACCES), as opposed to failing on this file. */
function isSpawnFailure(error: unknown): boolean {
  const e = error as { code?: unknown; syscall?: unknown };
  return typeof e.syscall === 'string' && e.syscall.startsWith('spawn') && (e.code === 'ENOENT' || e.code === 'EACCES');
}

async function bytesOf(input: Buffer | string): Promise<Uint8Array> {
  return typeof input === 'string' ? fs.promises.readFile(input) : input;
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(error)).split('\n')[0]!.slice(0, 200);
}
