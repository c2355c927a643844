import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FolderWatcher } from '../../electron/main/folder-watcher';
import { tempDir } from '../support/temp';

describe('watched folders', () => {
  let watcher: FolderWatcher | undefined;
  afterEach(async () => watcher?.close());

  it('asks for one rescan of the folder after new, changed and deleted photos settle, ignoring other files', async () => {
    const root = tempDir('facet-watch-');
    const rescan = vi.fn();
    watcher = new FolderWatcher(rescan, { settleMs: 300, presenceCheckMs: 60_000 });
    await watcher.setFolders([{ id: 4, path: root }]);
    await new Promise((r) => setTimeout(r, 300)); // chokidar's initial scan
    fs.writeFileSync(path.join(root, 'notes.txt'), 'not a photo');
    await new Promise((r) => setTimeout(r, 1200));
    expect(rescan).not.toHaveBeenCalled();
    fs.writeFileSync(path.join(root, 'a.jpg'), 'jpeg');
    fs.writeFileSync(path.join(root, 'b.png'), 'png');
    await vi.waitFor(() => expect(rescan).toHaveBeenCalledWith([4]), { timeout: 5000 });
    expect(rescan).toHaveBeenCalledTimes(1);
    fs.rmSync(path.join(root, 'a.jpg'));
    await vi.waitFor(() => expect(rescan).toHaveBeenCalledTimes(2), { timeout: 5000 });
  });

  it('notices a folder that disappears (an unplugged drive) so the rescan can mark it offline', async () => {
    const root = path.join(tempDir('facet-watch-'), 'drive');
    fs.mkdirSync(root);
    const rescan = vi.fn();
    watcher = new FolderWatcher(rescan, { settleMs: 100, presenceCheckMs: 200 });
    await watcher.setFolders([{ id: 9, path: root }]);
    fs.rmSync(root, { recursive: true });
    await vi.waitFor(() => expect(rescan).toHaveBeenCalledWith([9]), { timeout: 5000 });
  });
});
