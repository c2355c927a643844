import type { DuplicateGroup, DuplicateMember } from '../../../src/common/api/search';
import { call } from './api';
import { describeError, showError } from './errors.svelte';
import { t } from './i18n.svelte';
import { toasts } from './toast.svelte';
import { trash } from './trash.svelte';

/** One group as the user adjusts it: which photo stays, which go, and whether they have looked at it. */
export interface GroupReview {
  group: DuplicateGroup;
  keeper: number;
  /** Photos going to the trash (never the keeper). */
  ticked: number[];
  looked: boolean;
}

/**
 * The duplicates review. Only exact copies (the same file) start ticked for the trash; a resized,
 * cropped or merely similar photo is the user's call. A group can be adjusted (untick, another keeper,
 * "not duplicates", which is remembered), and its trash button works only once the group has been
 * looked at; the confirmation says how many photos it moves.
 */
class DuplicatesReview {
  groups = $state.raw<GroupReview[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      const groups = await call('search.duplicates', { useEmbeddings: true });
      this.groups = groups.map((group) => ({
        // The suggested keeper first, so it is in view without scrolling.
        group: {
          ...group,
          photos: [...group.photos].sort((a, b) => Number(b.photoId === group.keeper) - Number(a.photoId === group.keeper)),
        },
        keeper: group.keeper,
        ticked: group.photos.filter((p) => p.photoId !== group.keeper && p.match === 'same-file').map((p) => p.photoId),
        looked: false,
      }));
      this.error = null;
    } catch (error) {
      this.error = describeError(error).message;
    } finally {
      this.loaded = true;
    }
  }

  private update(index: number, change: (review: GroupReview) => Partial<GroupReview>): void {
    this.groups = this.groups.map((review, i) => (i === index ? { ...review, ...change(review) } : review));
  }

  markLooked(index: number): void {
    if (this.groups[index] && !this.groups[index].looked) this.update(index, () => ({ looked: true }));
  }

  toggle(index: number, photoId: number): void {
    this.update(index, (review) => {
      if (photoId === review.keeper) return {};
      const ticked = review.ticked.includes(photoId) ? review.ticked.filter((id) => id !== photoId) : [...review.ticked, photoId];
      return { ticked, looked: true };
    });
  }

  /** Another photo stays: it is never ticked, and the former keeper is left unticked for the user to decide. */
  keep(index: number, photoId: number): void {
    this.update(index, (review) => {
      return { keeper: photoId, ticked: review.ticked.filter((id) => id !== photoId), looked: true };
    });
  }

  async notDuplicates(index: number): Promise<void> {
    const review = this.groups[index];
    if (!review) return;
    try {
      await call('duplicates.notDuplicates', { photoIds: review.group.photos.map((p) => p.photoId) });
      this.groups = this.groups.filter((_, i) => i !== index);
      toasts.show({ message: t('duplicates.rememberedNot') });
    } catch (error) {
      showError(error);
    }
  }

  trashTicked(index: number): void {
    const review = this.groups[index];
    if (!review?.looked || review.ticked.length === 0) return;
    const gone = new Set(review.ticked);
    // The rescan that marks them missing takes a while: leave them out of the groups at once.
    trash.ask(review.ticked, () => this.withoutPhotos(gone));
  }

  private withoutPhotos(gone: ReadonlySet<number>): void {
    this.groups = this.groups
      .map((review) => ({
        ...review,
        group: { ...review.group, photos: review.group.photos.filter((p) => !gone.has(p.photoId)) },
        ticked: review.ticked.filter((id) => !gone.has(id)),
      }))
      .filter((review) => review.group.photos.length >= 2 && !gone.has(review.keeper));
  }
}

export const duplicatesReview = new DuplicatesReview();

/** Why a photo is in the group, in the user's words. */
export function matchReason(member: DuplicateMember): string {
  if (member.match === 'keeper') return t('duplicates.reason.keeper');
  if (member.match === 'same-file') return t('duplicates.reason.same-file');
  if (member.match === 'resized') return t('duplicates.reason.resized');
  if (member.match === 'cropped') return t('duplicates.reason.cropped');
  return member.similarity !== null
    ? t('duplicates.reason.similarPercent', { percent: Math.round(member.similarity * 100) })
    : t('duplicates.reason.similar-scene');
}
