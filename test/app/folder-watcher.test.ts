import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WatcherProblem } from '../../src/common/api/events';
import { FolderWatcher, describeWatchError, isInside, owningFolder } from '../../electron/main/folder-watcher';
import { tempDir } from '../support/temp';

describe('watched folders', () => {
  let watcher: FolderWatcher | undefined;
  afterEach(async () => watcher?.close());

  it('asks for one rescan of the folder after new, changed and deleted photos settle, ignoring other files', async () => {
    const root = tempDir('facet-watch-');
    const rescan = vi.fn();
    watcher = new FolderWatcher({ rescan, problem: vi.fn() }, { settleMs: 300, presenceCheckMs: 60_000 });
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
    watcher = new FolderWatcher({ rescan, problem: vi.fn() }, { settleMs: 100, presenceCheckMs: 200 });
    await watcher.setFolders([{ id: 9, path: root }]);
    fs.rmSync(root, { recursive: true });
    await vi.waitFor(() => expect(rescan).toHaveBeenCalledWith([9]), { timeout: 5000 });
  });

  it('credits a photo in /photos2 to /photos2, not to /photos (paths, not string prefixes)', async () => {
    const base = tempDir('facet-watch-');
    const photos = path.join(base, 'photos');
    const photos2 = path.join(base, 'photos2');
    fs.mkdirSync(photos);
    fs.mkdirSync(photos2);
    const rescan = vi.fn();
    watcher = new FolderWatcher({ rescan, problem: vi.fn() }, { settleMs: 300, presenceCheckMs: 60_000 });
    await watcher.setFolders([
      { id: 1, path: photos },
      { id: 2, path: photos2 },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    fs.writeFileSync(path.join(photos2, 'new.jpg'), 'jpeg');
    await vi.waitFor(() => expect(rescan).toHaveBeenCalled(), { timeout: 5000 });
    expect(rescan.mock.calls).toEqual([[[2]]]);
  });

  it('compares as paths and picks the deepest watched folder', () => {
    expect(isInside('/photos', '/photos2/a.jpg')).toBe(false);
    expect(isInside('/photos', '/photos/a.jpg')).toBe(true);
    expect(isInside('/photos', '/photos')).toBe(true);
    expect(isInside('/photos', '/photos/../etc/a.jpg')).toBe(false);
    expect(isInside('/photos', '/photos/..hidden/a.jpg')).toBe(true);
    const folders = [
      { id: 1, path: '/photos' },
      { id: 2, path: '/photos/trips' },
    ];
    expect(owningFolder(folders, '/photos/trips/a.jpg')?.id).toBe(2);
    expect(owningFolder(folders, '/photos/a.jpg')?.id).toBe(1);
    expect(owningFolder(folders, '/photos2/a.jpg')).toBeUndefined();
  });

  it('reports a symbolic-link loop as a problem instead of an unhandled error, and keeps watching', async () => {
    const root = tempDir('facet-watch-');
    fs.mkdirSync(path.join(root, 'sub'));
    fs.symlinkSync('.', path.join(root, 'sub', 'self'));
    const rescan = vi.fn();
    const problems: WatcherProblem[] = [];
    watcher = new FolderWatcher({ rescan, problem: (p) => problems.push(p) }, { settleMs: 300, presenceCheckMs: 60_000 });
    await watcher.setFolders([{ id: 3, path: root }]);
    await vi.waitFor(() => expect(problems.map((p) => p.code)).toContain('ELOOP'), { timeout: 5000 });
    expect(problems.filter((p) => p.code === 'ELOOP')).toHaveLength(1); // once, not once per link level
    expect(problems[0]!.folder).toBe(root);
    fs.writeFileSync(path.join(root, 'still-watched.jpg'), 'jpeg');
    await vi.waitFor(() => expect(rescan).toHaveBeenCalledWith([3]), { timeout: 5000 });
  });

  it('explains the inotify limit and missing permissions in words the user can act on', () => {
    const folders = [{ id: 1, path: '/photos' }];
    const enospc = Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
      code: 'ENOSPC',
      path: '/photos/2024',
    });
    expect(describeWatchError(enospc, folders)).toMatchObject({
      folder: '/photos',
      code: 'ENOSPC',
      message: expect.stringContaining('fs.inotify.max_user_watches'),
    });
    const eacces = Object.assign(new Error('EACCES'), { code: 'EACCES', path: '/photos/private' });
    expect(describeWatchError(eacces, folders).message).toContain('no permission to read /photos/private');
  });
});
