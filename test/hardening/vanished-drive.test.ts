import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { SHARED_MODELS, describeWithShared } from '../support/shared';
import { tempDir } from '../support/temp';
import { integrityCheck, photoRows } from './support/library-check';
import { ALBUM_SAMPLE, copyAlbumPhotos } from './support/photos';
import { canMountTmpfs, mountTmpfs, unmount } from './support/system';

const work = tempDir('facet-vanish-');
const MOUNTABLE = canMountTmpfs(path.join(work, 'probe'));
const SKIP = MOUNTABLE ? '' : ' [skipped: needs root and mount(8) to unplug a tmpfs "drive" mid-run]';

describeWithShared('vanished storage: a drive unplugged in the middle of a run', () => {
  const pristine = path.join(work, 'pristine');
  const drive = path.join(work, 'drive');
  afterAll(() => unmount(drive));

  it.skipIf(!MOUNTABLE)(
    `photos not reached are kept as offline, never failed or deleted, and are indexed when the drive is back${SKIP}`,
    async () => {
      copyAlbumPhotos(ALBUM_SAMPLE, pristine);
      const plugIn = () => {
        mountTmpfs(drive, '64m');
        fs.cpSync(pristine, path.join(drive, 'DCIM'), { recursive: true, preserveTimestamps: true });
      };
      plugIn();
      const library = path.join(work, 'library');
      const folder = path.join(drive, 'DCIM');
      let unplugged = false;
      const engine = Engine.open({
        libraryDir: library,
        modelsDir: SHARED_MODELS,
        device: 'cpu',
        concurrency: 2,
        onEvent: (event, payload) => {
          if (event === 'index.progress' && !unplugged && (payload as { done: number }).done >= 4) {
            unplugged = true;
            execFileSync('umount', ['-l', drive]); // the cable is pulled: every later read fails
          }
        },
      });
      try {
        const first = await engine.index([folder]);
        expect(unplugged).toBe(true);
        expect(first.offlineFolders).toEqual([folder]);
        const rows = photoRows(library);
        expect(rows.filter((r) => r.status === 'failed').map((r) => `${path.basename(r.path)}: ${r.error}`)).toEqual([]);
        expect(rows.every((r) => r.status === 'offline')).toBe(true);

        plugIn();
        const back = await engine.index([folder]);
        expect(back.failed).toBe(0);
        expect(photoRows(library).map((r) => [path.basename(r.path), r.status])).toEqual(ALBUM_SAMPLE.map((n) => [n, 'indexed']).sort());
      } finally {
        engine.close();
      }
      expect(integrityCheck(library)).toBe('ok');
    },
  );
});
