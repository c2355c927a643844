/**
 * The environment for a short-lived decoder process (heif-convert) that allocates a few large buffers:
 * glibc's malloc asked to back them with transparent huge pages (`glibc.malloc.hugetlb=1`, glibc 2.35+).
 *
 * WHY: a 12 MP HEIC decode touches ~100 MB of fresh memory (the HEVC picture buffers, the YCbCr planes,
 * the JPEG encoder's rows). With 4 KB pages that is ~25,000 page faults per photo, each zeroing a page
 * and filling a TLB entry. Asked for huge pages on a kernel whose THP mode is `madvise` (Debian's and
 * Ubuntu's default), the same decode takes ~2,000 faults, and measured here the converter's CPU per photo
 * fell by 2-6% (details in the README's HEIC section). The decoded pixels are the same bytes.
 *
 * Only glibc reads the variable; musl and other systems ignore it, and a glibc older than 2.35 ignores a
 * tunable it does not know. A `hugetlb` the user set already is kept (their choice wins), and other
 * tunables they set are kept beside it.
 */
const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb';

export function withHugePageMalloc(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const current = env.GLIBC_TUNABLES ?? '';
  const set = current.split(':').filter((entry) => entry !== '');
  if (set.some((entry) => entry.startsWith(`${HUGE_PAGES_TUNABLE}=`))) return env;
  return { ...env, GLIBC_TUNABLES: [...set, `${HUGE_PAGES_TUNABLE}=1`].join(':') };
}
