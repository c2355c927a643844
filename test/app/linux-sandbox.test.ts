import { describe, expect, it } from 'vitest';
import { sandboxCanStart } from '../../scripts/linux-sandbox.mjs';

/**
 * `npm start`'s AppArmor check (scripts/start-app.mjs), on played system states: each fix the message
 * prints must make the next `npm start` pass, and nothing else may.
 */
const KNOB = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';
const PROFILES = '/sys/kernel/security/apparmor/profiles';
const HELPER = '/x/node_modules/electron/dist/chrome-sandbox';

function system(
  files: Record<string, string | 'unreadable'>,
  options: { helper?: { uid: number; mode: number }; env?: Record<string, string> } = {},
) {
  return {
    readFile: (file: string) => {
      const content = files[file];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      if (content === 'unreadable') throw Object.assign(new Error(`EACCES: ${file}`), { code: 'EACCES' });
      return content;
    },
    stat: (file: string) => (file === HELPER ? (options.helper ?? { uid: 1000, mode: 0o100755 }) : null),
    env: options.env ?? {},
    sandboxHelper: HELPER,
  };
}

describe("npm start's Linux sandbox check", () => {
  it('passes where AppArmor does not restrict user namespaces (no knob, or 0)', () => {
    expect(sandboxCanStart(system({})).ok).toBe(true);
    expect(sandboxCanStart(system({ [KNOB]: '0\n' })).ok).toBe(true);
  });

  it('stops when namespaces are restricted and nothing was fixed (the helper is not setuid, no profile)', () => {
    expect(sandboxCanStart(system({ [KNOB]: '1\n', [PROFILES]: 'snap.firefox (enforce)\nunconfined_app (unconfined)\n' }))).toEqual({
      ok: false,
    });
    expect(sandboxCanStart(system({ [KNOB]: '1\n', [PROFILES]: 'unreadable' }))).toEqual({ ok: false });
    // setuid but not owned by root is not a working helper
    expect(sandboxCanStart(system({ [KNOB]: '1\n' }, { helper: { uid: 1000, mode: 0o104755 } })).ok).toBe(false);
  });

  it('passes after fix 1, the printed profile loaded with apparmor_parser (knob still 1, helper still not setuid)', () => {
    const loaded = system({ [KNOB]: '1\n', [PROFILES]: 'snap.firefox (enforce)\nfacet-dev-electron (unconfined)\n' });
    expect(sandboxCanStart(loaded)).toEqual({ ok: true, why: 'the AppArmor profile facet-dev-electron is loaded' });
    // a profile whose name only starts the same is not ours
    expect(sandboxCanStart(system({ [KNOB]: '1\n', [PROFILES]: 'facet-dev-electron-old (unconfined)\n' })).ok).toBe(false);
  });

  it('passes after fix 2, chrome-sandbox root-owned and setuid', () => {
    expect(sandboxCanStart(system({ [KNOB]: '1\n' }, { helper: { uid: 0, mode: 0o104755 } }))).toEqual({
      ok: true,
      why: 'the SUID sandbox helper is set up',
    });
  });

  it('passes with FACET_SANDBOX_OK=1 where the profile list is root-only, and only with exactly 1', () => {
    const rootOnly = { [KNOB]: '1\n', [PROFILES]: 'unreadable' };
    expect(sandboxCanStart(system(rootOnly, { env: { FACET_SANDBOX_OK: '1' } }))).toEqual({ ok: true, why: 'FACET_SANDBOX_OK=1' });
    expect(sandboxCanStart(system(rootOnly, { env: { FACET_SANDBOX_OK: '0' } })).ok).toBe(false);
  });
});
