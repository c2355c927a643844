import { afterEach, describe, expect, it } from 'vitest';
import { FacetError } from '../../../src/common/errors';
import { describeError } from './errors.svelte';
import { i18n } from './i18n.svelte';

afterEach(() => {
  i18n.locale = 'en';
});

describe('describeError', () => {
  const timedOut = new FacetError('offline', 'No answer from huggingface.co within 20 s: the network may be down or dropping packets.');

  it('says a download stopped on the network, not that a drive is unplugged, and keeps the engine’s words as the detail', () => {
    i18n.locale = 'en';
    expect(describeError(timedOut, 'download')).toEqual({
      code: 'offline',
      message: expect.stringMatching(/^The download stopped/),
      detail: timedOut.message,
      action: null,
    });
    expect(describeError(timedOut).message).toMatch(/drive/); // elsewhere offline is a folder that went away
  });

  it('in Korean too', () => {
    i18n.locale = 'ko';
    expect(describeError(timedOut, 'download').message).toMatch(/^다운로드가 멈췄습니다/);
  });
});
