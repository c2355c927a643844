import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConverterShell } from '../../../src/engine/imaging/converter-shell';
import { tempDir } from '../../support/temp';

/** A converter that copies its input (after its flag) to its output, fails on "bad" input, and hangs on "slow" input. */
function fakeConverter(dir: string): string {
  const tool = path.join(dir, 'fake-convert');
  fs.writeFileSync(
    tool,
    [
      '#!/bin/sh',
      '[ "$1" = "--flag" ] || { echo "missing flag" >&2; exit 2; }',
      'case "$2" in *bad*) echo "not a HEIF file: $2" >&2; exit 1;; *slow*) sleep 30;; esac',
      // The shell that ran it: the parent, or the grandparent when timeout(1) runs the tool.
      'shell=$PPID; grep -q facet-converter /proc/$shell/cmdline 2>/dev/null || shell=$(cut -d" " -f4 /proc/$shell/stat)',
      'echo "$$ $shell" > "$3.pid"',
      'echo "Written to $3"', // what heif-convert prints without --quiet: not an exit status
      'cp "$2" "$3"',
    ].join('\n'),
    { mode: 0o755 },
  );
  return tool;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === 'win32')('converter shell: one small shell runs many conversions', () => {
  it('runs conversions in one shell, reports a failure with its stderr, and the shell goes on', async () => {
    const dir = tempDir();
    const shell = new ConverterShell(fakeConverter(dir), ['--flag'], 10_000);
    fs.writeFileSync(path.join(dir, 'a in.txt'), 'first');
    fs.writeFileSync(path.join(dir, 'bad.txt'), 'x');
    await shell.run(path.join(dir, 'a in.txt'), path.join(dir, 'out 1'));
    await shell.run(path.join(dir, 'a in.txt'), path.join(dir, 'out 2'));
    expect(fs.readFileSync(path.join(dir, 'out 2'), 'utf8')).toBe('first');
    await expect(shell.run(path.join(dir, 'bad.txt'), path.join(dir, 'out 3'))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not a HEIF file'),
    });
    await shell.run(path.join(dir, 'a in.txt'), path.join(dir, 'out 4'));
    expect(fs.readFileSync(path.join(dir, 'out 4'), 'utf8')).toBe('first');
    expect(shell.shellsStarted).toBe(1);
  });

  it('starts the tool with the environment it was given', async () => {
    const dir = tempDir();
    const tool = path.join(dir, 'env-convert');
    fs.writeFileSync(tool, '#!/bin/sh\nprintf "%s" "$FACET_TEST_SETTING" > "$2"\n', { mode: 0o755 });
    const shell = new ConverterShell(tool, [], 10_000, { env: { ...process.env, FACET_TEST_SETTING: 'from the caller' } });
    await shell.run(path.join(dir, 'in'), path.join(dir, 'out'));
    expect(fs.readFileSync(path.join(dir, 'out'), 'utf8')).toBe('from the caller');
  });

  it('runs as many at once as asked, each in its own shell', async () => {
    const dir = tempDir();
    const shell = new ConverterShell(fakeConverter(dir), ['--flag'], 10_000);
    fs.writeFileSync(path.join(dir, 'in'), 'same');
    await Promise.all([1, 2, 3].map((i) => shell.run(path.join(dir, 'in'), path.join(dir, `out${i}`))));
    for (const i of [1, 2, 3]) expect(fs.readFileSync(path.join(dir, `out${i}`), 'utf8')).toBe('same');
    expect(shell.shellsStarted).toBe(3);
    await shell.run(path.join(dir, 'in'), path.join(dir, 'out4'));
    expect(shell.shellsStarted).toBe(3); // an idle one is reused
  });

  it('a conversion over its time limit is ended with its tool, and the next one gets a new shell', async () => {
    const dir = tempDir();
    const shell = new ConverterShell(fakeConverter(dir), ['--flag'], 300);
    fs.writeFileSync(path.join(dir, 'slow'), 'x');
    fs.writeFileSync(path.join(dir, 'in'), 'ok');
    const started = Date.now();
    await expect(shell.run(path.join(dir, 'slow'), path.join(dir, 'never'))).rejects.toThrow(/took over 0.3 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await shell.run(path.join(dir, 'in'), path.join(dir, 'out'));
    expect(fs.readFileSync(path.join(dir, 'out'), 'utf8')).toBe('ok');
    expect(shell.shellsStarted).toBe(2);
    // No `sleep 30` is left running from the ended conversion.
    const sleepers = fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(path.join(dir, 'slow'));
        } catch {
          return false;
        }
      });
    expect(sleepers).toEqual([]);
  });

  it('a tool that is gone is reported like a failed spawn (ENOENT), so the caller can switch decoders', async () => {
    const dir = tempDir();
    const tool = fakeConverter(dir);
    const shell = new ConverterShell(tool, ['--flag'], 10_000);
    fs.writeFileSync(path.join(dir, 'in'), 'x');
    fs.rmSync(tool);
    await expect(shell.run(path.join(dir, 'in'), path.join(dir, 'out'))).rejects.toMatchObject({
      code: 'ENOENT',
      syscall: `spawn ${tool}`,
    });
  });

  it('an idle shell ends by itself', async () => {
    const dir = tempDir();
    const shell = new ConverterShell(fakeConverter(dir), ['--flag'], 10_000, { idleMs: 200 });
    fs.writeFileSync(path.join(dir, 'in'), 'x');
    await shell.run(path.join(dir, 'in'), path.join(dir, 'out'));
    const [toolPid, shellPid] = fs.readFileSync(path.join(dir, 'out.pid'), 'utf8').trim().split(' ').map(Number) as [number, number];
    expect(alive(toolPid)).toBe(false); // the tool itself ended with its conversion
    expect(alive(shellPid)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(alive(shellPid)).toBe(false);
  });

  it('a hung conversion still ends when the process that started it is gone (the app quit mid-decode)', async () => {
    const dir = tempDir();
    const tool = path.join(dir, 'hung-convert');
    fs.writeFileSync(tool, '#!/bin/sh\necho $$ > "$2.pid"\nexec sleep 60\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'in'), 'x');
    // The process that owns the shell: it starts one conversion, then is killed before its own 1 s timeout.
    const owner = path.join(dir, 'owner.ts');
    const source = path.resolve(__dirname, '../../../src/engine/imaging/converter-shell');
    fs.writeFileSync(
      owner,
      `import { ConverterShell } from ${JSON.stringify(source)};\n` +
        `void new ConverterShell(${JSON.stringify(tool)}, [], 1_000).run(${JSON.stringify(path.join(dir, 'in'))}, ${JSON.stringify(path.join(dir, 'out'))}).catch(() => undefined);\n` +
        'setInterval(() => undefined, 1_000);\n',
    );
    const child = spawn(path.resolve(__dirname, '../../../node_modules/.bin/vite-node'), [owner], { stdio: 'ignore' });
    let hung = 0;
    try {
      const pidFile = path.join(dir, 'out.pid');
      for (let waited = 0; !fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8').trim(); waited += 50) {
        if (waited > 30_000) throw new Error('the conversion never started');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      hung = Number(fs.readFileSync(pidFile, 'utf8').trim());
      process.kill(child.pid!, 'SIGKILL');
      expect(alive(hung)).toBe(true); // nothing in the owner can end it now
      // The shell's own bound (1 s + 2 s of margin) ends it, instead of the 60 s sleep running on.
      for (let waited = 0; alive(hung); waited += 100) {
        if (waited > 10_000) throw new Error('the hung conversion outlived its owner');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      child.kill('SIGKILL');
      if (hung && alive(hung)) process.kill(hung, 'SIGKILL'); // a failed run leaves no sleeper behind
    }
  }, 60_000);

  it('refuses a path with a line break rather than misreading it', async () => {
    const dir = tempDir();
    const shell = new ConverterShell(fakeConverter(dir), ['--flag'], 10_000);
    expect(ConverterShell.accepts('/a/b c.heic')).toBe(true);
    expect(ConverterShell.accepts('/a/b\nc.heic')).toBe(false);
    await expect(shell.run(path.join(dir, 'x\ny'), path.join(dir, 'out'))).rejects.toThrow(/line break/);
    expect(shell.shellsStarted).toBe(0);
  });
});
