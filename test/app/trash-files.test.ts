import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { trashFiles } from '../../electron/main/trash-files';
import { tempDir } from '../support/temp';

it('a move to the trash that fails part-way says how many moved and which file failed, with the reason', async () => {
  const dir = tempDir('facet-trash-files-');
  const trash = path.join(dir, 'Trash');
  fs.mkdirSync(trash);
  const files = ['a.jpg', 'b.jpg', 'c.jpg'].map((name, i) => ({ id: i + 1, path: path.join(dir, name) }));
  for (const f of files) fs.writeFileSync(f.path, 'x');
  // A move into the folder above, as the system trash does; b.jpg vanished after main checked it.
  const moveToTrash = async (file: string) => fs.promises.rename(file, path.join(trash, path.basename(file)));
  fs.rmSync(files[1]!.path);

  const failure = await trashFiles(files, moveToTrash).catch((error: unknown) => error);
  expect(failure).toMatchObject({ code: 'unsupported' });
  const message = (failure as Error).message;
  expect(message).toContain('1 of 3 photos were moved to the trash');
  expect(message).toContain(files[1]!.path);
  expect(message).toMatch(/ENOENT/); // the trash's own reason, not only "could not be moved"
  expect(fs.readdirSync(trash)).toEqual(['a.jpg']);
  expect(fs.existsSync(files[2]!.path)).toBe(true); // nothing after the failure moved

  fs.writeFileSync(files[1]!.path, 'x');
  expect(await trashFiles(files.slice(1), moveToTrash)).toEqual([2, 3]);
  expect(fs.readdirSync(trash).sort()).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
});
