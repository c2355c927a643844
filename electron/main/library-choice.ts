import path from 'node:path';

/** `--library=DIR` (or `--library DIR`) on the app's command line: set by "Open another library…". */
export function libraryFromArgs(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--library=')) return path.resolve(arg.slice('--library='.length));
    if (arg === '--library' && argv[i + 1]) return path.resolve(argv[i + 1]!);
  }
  return undefined;
}

/** The arguments to relaunch with, to open `library` instead of the one that failed. */
export function relaunchArgs(argv: readonly string[], library: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--library') i++;
    else if (!argv[i]!.startsWith('--library=')) kept.push(argv[i]!);
  }
  return [...kept, `--library=${library}`];
}
