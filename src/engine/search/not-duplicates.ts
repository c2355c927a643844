import type { DuplicateGroup } from '../../common/api/search';

/**
 * Leaves out of each group the photos the user said are not duplicates of its keeper; a group left
 * with only its keeper goes. Applied to whatever grouping the finder does, so "not duplicates" holds
 * whichever model or method finds the group.
 */
export function withoutNotDuplicates(groups: DuplicateGroup[], notDuplicates: (a: number, b: number) => boolean): DuplicateGroup[] {
  return groups
    .map((group) => ({
      ...group,
      photos: group.photos.filter((p) => p.photoId === group.keeper || !notDuplicates(group.keeper, p.photoId)),
    }))
    .filter((group) => group.photos.length >= 2);
}
