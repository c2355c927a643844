import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { FileInfo } from '../../../src/common/api/library';
import { unwrap } from '../../../src/common/result';
import { Engine } from '../../../src/engine/engine';
import {
  CRASHED_DECODER,
  CRASH_SUSPECT,
  CRASH_SUSPECT_READING,
  recoverAfterCrash,
  recoverAfterCrashLocked,
} from '../../../src/engine/indexing/crash-recovery';
import { PhotoStore } from '../../../src/engine/library/photo-store';
import { SHARED_MODELS, describeWithShared, sharedPhotos } from '../../support/shared';
import { tempDir } from '../../support/temp';

/**
 * What the app's worker does when it starts after a crash (electron/main/worker-process.ts). The
 * crash itself is played by leaving photos pending, exactly as processPhoto leaves them before it
 * decodes; test/app/main-process-smoke.test.ts crashes a real worker on a photo.
 */
describeWithShared('recovering from a worker crash', () => {
  const work = tempDir();
  const photos = path.join(work, 'photos');
  let engine: Engine;
  const files = async (): Promise<FileInfo[]> => unwrap(await engine.call('library.files', { limit: 100 }));
  const byName = async (name: string) => (await files()).find((f) => path.basename(f.path) === name)!;
  /** What processPhoto leaves behind before it decodes (a suspect keeps the "read alone" note). */
  const inFlight = (...names: string[]) => {
    const store = new PhotoStore(engine.library.db);
    for (const name of names) {
      const row = store.byPath(path.join(photos, name))!;
      store.markPending(row.id, row.size, row.mtime_ms, row.error === CRASH_SUSPECT ? CRASH_SUSPECT_READING : null);
    }
  };

  beforeAll(async () => {
    fs.mkdirSync(photos);
    for (const name of ['1.jpg', '2.jpg', '3.jpg']) fs.copyFileSync(sharedPhotos('faces-album', name), path.join(photos, name));
    engine = Engine.open({ libraryDir: path.join(work, 'library'), modelsDir: SHARED_MODELS, device: 'cpu' });
    await engine.index([photos]);
    return () => engine.close();
  });

  it('with several photos in flight, suspects them all and reads them again (they were innocent)', async () => {
    inFlight('1.jpg', '2.jpg');
    expect(recoverAfterCrash(engine.library)).toEqual({ failed: [], suspects: [path.join(photos, '1.jpg'), path.join(photos, '2.jpg')] });
    expect(await byName('1.jpg')).toMatchObject({ status: 'pending', error: CRASH_SUSPECT });
    // Read again (same bytes as before, so "unchanged" once hashed), and nothing is left pending.
    expect(await engine.index([photos])).toMatchObject({ failed: 0, unchanged: 3 });
    expect((await files()).map((f) => f.status)).toEqual(['indexed', 'indexed', 'indexed']);
  });

  it('one photo in flight at an unclean exit (a kill, a power cut) is only a suspect, and reads fine again', async () => {
    inFlight('2.jpg');
    expect(recoverAfterCrash(engine.library)).toEqual({ failed: [], suspects: [path.join(photos, '2.jpg')] });
    expect(await byName('2.jpg')).toMatchObject({ status: 'pending', error: CRASH_SUSPECT });
    expect(await engine.index([photos])).toMatchObject({ failed: 0, unchanged: 3 });
    expect(await byName('2.jpg')).toMatchObject({ status: 'indexed' });
    expect((await byName('2.jpg')).error).toBeFalsy(); // the suspect note is gone
  });

  it('a suspect in flight alone when the worker dies again is marked failed, and never read again until the file changes', async () => {
    inFlight('3.jpg');
    expect(recoverAfterCrash(engine.library).failed).toEqual([]);
    inFlight('3.jpg'); // the next run reads the suspect on its own, and the worker dies again
    expect(await byName('3.jpg')).toMatchObject({ status: 'pending', error: CRASH_SUSPECT_READING });
    expect(recoverAfterCrash(engine.library)).toEqual({ failed: [path.join(photos, '3.jpg')], suspects: [] });
    expect(await byName('3.jpg')).toMatchObject({ status: 'failed', error: CRASHED_DECODER });
    expect(await engine.index([photos])).toMatchObject({ indexed: 0, unchanged: 3 });
    expect((await byName('3.jpg')).status).toBe('failed');

    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(photos, '3.jpg'), later, later);
    expect(await engine.index([photos])).toMatchObject({ failed: 0 });
    expect((await byName('3.jpg')).status).toBe('indexed');
  });

  it('a suspect that was read alone with other photos in flight too (not alone) stays a suspect', async () => {
    inFlight('1.jpg');
    recoverAfterCrash(engine.library);
    inFlight('1.jpg', '2.jpg');
    expect(recoverAfterCrash(engine.library)).toEqual({ failed: [], suspects: [path.join(photos, '1.jpg'), path.join(photos, '2.jpg')] });
    expect(await engine.index([photos])).toMatchObject({ failed: 0 });
    expect((await files()).map((f) => f.status)).toEqual(['indexed', 'indexed', 'indexed']);
  });

  it('while another process holds the writer lock (a CLI index run reading its own photos), recovery is skipped', async () => {
    inFlight('1.jpg');
    const other = await engine.library.acquireWriterLock(0);
    try {
      expect(await recoverAfterCrashLocked(engine.library)).toBeNull();
      expect(await byName('1.jpg')).toMatchObject({ status: 'pending' });
      expect((await byName('1.jpg')).error).toBeFalsy(); // not made a suspect
    } finally {
      other.release();
    }
    expect(await recoverAfterCrashLocked(engine.library)).toEqual({ failed: [], suspects: [path.join(photos, '1.jpg')] });
    expect(await engine.index([photos])).toMatchObject({ failed: 0 });
  });

  it('a clean start (nothing in flight) changes nothing', async () => {
    expect(recoverAfterCrash(engine.library)).toEqual({ failed: [], suspects: [] });
  });
});
