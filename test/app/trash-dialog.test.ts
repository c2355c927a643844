import { describe, expect, it } from 'vitest';
import { trashConfirmDialog } from '../../electron/main/trash-dialog';

/** The native confirmation main shows before every move to the trash (electron/main/app-handlers.ts). */
describe('the trash confirmation', () => {
  const paths = Array.from({ length: 7 }, (_, i) => `/photos/${i + 1}.jpg`);

  it('counts the photos, lists five paths, and defaults to Cancel', () => {
    const dialog = trashConfirmDialog(paths, 'en');
    expect(dialog.message).toBe('Move 7 photos to the Trash?');
    expect(dialog.buttons).toEqual(['Move 7 to Trash', 'Cancel']);
    expect(dialog.defaultId).toBe(1);
    expect(dialog.cancelId).toBe(1);
    expect(dialog.detail).toBe(
      '/photos/1.jpg\n/photos/2.jpg\n/photos/3.jpg\n/photos/4.jpg\n/photos/5.jpg\n…and 2 more\n\nYou can restore them from the system Trash.',
    );
    expect(trashConfirmDialog(paths.slice(0, 1), 'en').message).toBe('Move this photo to the Trash?');
  });

  it('speaks Korean when that is the user’s language', () => {
    const dialog = trashConfirmDialog(paths, 'ko');
    expect(dialog.message).toBe('사진 7장을 휴지통으로 옮길까요?');
    expect(dialog.buttons).toEqual(['7장을 휴지통으로 옮기기', '취소']);
    expect(dialog.detail).toContain('…외 2장');
    expect(dialog.detail).toContain('시스템 휴지통에서 되돌릴 수 있습니다.');
  });
});
