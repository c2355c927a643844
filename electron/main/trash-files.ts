import path from 'node:path';
import { FacetError } from '../../src/common/errors';

/**
 * Moves originals to the system trash one at a time. When one cannot be moved (a volume without a
 * trash, a permission), the photos before it are already gone from their folders: the error says how
 * many moved and which file failed with the trash's own reason, since Electron's message ("Failed to
 * move item to trash") names neither, and the renderer would otherwise report nothing moved.
 */
export async function trashFiles(
  files: readonly { id: number; path: string }[],
  trashItem: (file: string) => Promise<void>,
): Promise<number[]> {
  const trashed: number[] = [];
  for (const file of files) {
    try {
      await trashItem(file.path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new FacetError(
        'unsupported',
        `${trashed.length} of ${files.length} photos were moved to the trash; ${path.basename(file.path)} (${file.path}) could not be: ${reason}. The others were left where they are.`,
      );
    }
    trashed.push(file.id);
  }
  return trashed;
}
