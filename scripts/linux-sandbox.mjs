/**
 * Can Chromium's sandbox start under this Linux's AppArmor? Kept apart from start-app.mjs, with the
 * file reads passed in, so test/app/linux-sandbox.test.ts can play every system state.
 *
 * Ubuntu 23.10+ lets AppArmor deny the unprivileged user namespaces Chromium sandboxes with
 * (electron#42510). Any one of these makes it work, and each is checked:
 *  - the knob is absent or 0 (namespaces not restricted);
 *  - the SUID helper chrome-sandbox is root-owned and setuid;
 *  - the profile `facet-dev-electron` that npm start prints is loaded (listed in
 *    /sys/kernel/security/apparmor/profiles; that file is root-only on some systems, so it is
 *    consulted only where readable);
 *  - the user says so with FACET_SANDBOX_OK=1 (for a profile of their own, or an unreadable list).
 */
export const PROFILE_NAME = 'facet-dev-electron';
const RESTRICT_KNOB = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';
const PROFILES_LIST = '/sys/kernel/security/apparmor/profiles';

/**
 * @param {{ readFile: (file: string) => string, stat: (file: string) => { uid: number, mode: number } | null,
 *           env: Record<string, string | undefined>, sandboxHelper: string }} system
 *   readFile throws when a file is missing or unreadable; stat returns null when the file is missing.
 * @returns {{ ok: true, why: string } | { ok: false }}
 */
export function sandboxCanStart(system) {
  if (system.env.FACET_SANDBOX_OK === '1') return { ok: true, why: 'FACET_SANDBOX_OK=1' };
  let knob;
  try {
    knob = system.readFile(RESTRICT_KNOB).trim();
  } catch {
    return { ok: true, why: 'user namespaces are not restricted by AppArmor here' };
  }
  if (knob !== '1') return { ok: true, why: 'user namespaces are not restricted' };
  const helper = system.stat(system.sandboxHelper);
  if (helper && helper.uid === 0 && (helper.mode & 0o4000) !== 0) return { ok: true, why: 'the SUID sandbox helper is set up' };
  try {
    // Lines look like "facet-dev-electron (unconfined)".
    const loaded = system
      .readFile(PROFILES_LIST)
      .split('\n')
      .some((line) => line.split(' (')[0] === PROFILE_NAME);
    if (loaded) return { ok: true, why: `the AppArmor profile ${PROFILE_NAME} is loaded` };
  } catch {
    // not readable without root here: FACET_SANDBOX_OK=1 is the way to say it is loaded
  }
  return { ok: false };
}
