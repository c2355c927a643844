/**
 * The same path outside Electron's archive: `…/resources/app.asar/x` → `…/resources/app.asar.unpacked/x`
 * (electron-builder puts the files listed in `asarUnpack` there). Paths not inside an `.asar` are
 * returned as they are, so the CLI and tests (plain Node, no archive) get their own paths back.
 *
 * Needed wherever a path leaves Electron's patched `fs`/`require`: native code (dlopen, onnxruntime
 * opening a model file, SQLite loading an extension) sees only the real file system. Also used for
 * everything handed to a worker thread. Electron does read app.asar in Node worker threads: since
 * Electron 17/18 through a Node patch (electron/electron#33216, "worker_thread: add asar support";
 * before it, requires from app.asar failed or crashed in workers: electron/electron#22446, #18540), and
 * in current releases (Facet pins 39) through Node's embedder preload, which "is inherited by worker
 * threads" (nodejs/node#51539, written for Electron's asar); the patch is no longer in Electron's list.
 * Nothing documents or tests that for a worker inside a utilityProcess, and no Electron binary can run
 * here, so Facet does not rely on it: its workers get files that exist on disk (electron-builder.yml's
 * asarUnpack), which test/app/packaging.test.ts loads from a built package under plain Node.
 */
export function unpackedPath(file: string): string {
  return file.replace(/\.asar([\\/])/, '.asar.unpacked$1');
}
