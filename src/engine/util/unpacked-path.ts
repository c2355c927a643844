/**
 * The same path outside Electron's archive: `…/resources/app.asar/x` → `…/resources/app.asar.unpacked/x`
 * (electron-builder puts the files listed in `asarUnpack` there). Paths not inside an `.asar` are
 * returned as they are, so the CLI and tests (plain Node, no archive) get their own paths back.
 *
 * Needed wherever a path leaves Electron's patched `fs`/`require`: native code (dlopen, onnxruntime
 * opening a model file, SQLite loading an extension) sees only the real file system. Also used for
 * everything handed to a worker thread: Electron has initialised its asar support in worker threads
 * since Electron 17/18 (electron/electron#33216, its `worker_thread_add_asar_support` Node patch; before
 * that, requires from app.asar failed or crashed in workers: electron/electron#22446, #18540), but
 * Facet's workers load onnxruntime's binding anyway, so they are given files that exist on disk and do
 * not depend on that patch (see electron-builder.yml's asarUnpack, and test/app/packaging.test.ts).
 */
export function unpackedPath(file: string): string {
  return file.replace(/\.asar([\\/])/, '.asar.unpacked$1');
}
