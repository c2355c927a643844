import { describe, expect, it } from 'vitest';
import { withHugePageMalloc } from '../../../src/engine/imaging/huge-page-env';

describe('the converter environment asks glibc for huge pages', () => {
  it('adds the tunable and keeps the rest of the environment', () => {
    const env = withHugePageMalloc({ PATH: '/usr/bin', HOME: '/home/a' });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/a', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
  });

  it("keeps tunables the user set beside it, and the user's own hugetlb wins", () => {
    expect(withHugePageMalloc({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    );
    const chosen = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2' };
    expect(withHugePageMalloc(chosen)).toBe(chosen);
  });

  it('does not change the environment it was given', () => {
    const env = { PATH: '/usr/bin' };
    withHugePageMalloc(env);
    expect(env).toEqual({ PATH: '/usr/bin' });
  });
});
