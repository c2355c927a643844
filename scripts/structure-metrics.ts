import fs from 'node:fs';
import path from 'node:path';
import { buildGraph, cycles, engineFolderOf, groupGraph, ROOT, sourceFiles } from './import-graph';

/**
 * The numbers issue #11 asks for, re-runnable at any commit: `npx vite-node scripts/structure-metrics.ts`.
 * Cycles count strongly connected components (type-only imports included); SQL files are those whose
 * text holds an SQL statement; bench lines are benchmark/evaluation files still under src/engine.
 */
const CODE_DIRS = ['src', 'electron', 'renderer/src', 'test', 'bench', 'scripts'];
const files = CODE_DIRS.flatMap((dir) => sourceFiles(dir));
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');
const lines = (file: string): number => read(file).split('\n').length - (read(file).endsWith('\n') ? 1 : 0);

const graph = buildGraph(files);
const fileCycles = cycles(graph);
const folderCycles = cycles(groupGraph(graph, engineFolderOf));

const SQL =
  /\b(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(TABLE|INDEX|VIRTUAL|UNIQUE|TRIGGER)\b|PRAGMA\s|ALTER\s+TABLE\b|DROP\s+(TABLE|INDEX)\b)/;
const sqlIn = (dir: string): string[] => files.filter((f) => f.startsWith(dir + '/') && SQL.test(read(f)));

const BENCH = /(^|\/)(bench|bench-[^/]*|[^/]*-bench|immich-baseline|bcubed|rss-prefill|synthetic-faces)(\.ts|\/)/;
const engineFiles = files.filter((f) => f.startsWith('src/engine/'));
const benchInEngine = engineFiles.filter((f) => BENCH.test(f));
const sum = (list: string[]): number => list.reduce((total, f) => total + lines(f), 0);

const longest = [...files].sort((a, b) => lines(b) - lines(a)).slice(0, 3);
const longestLine = files
  .flatMap((f) =>
    read(f)
      .split('\n')
      .map((line, i) => ({ f, i: i + 1, n: line.length })),
  )
  .sort((a, b) => b.n - a.n)[0]!;

const out = [
  `files scanned: ${files.length} (${CODE_DIRS.join(', ')})`,
  `file cycles (SCCs, type-only imports included): ${fileCycles.length}`,
  ...fileCycles.map((c) => `  - ${c.join(' ↔ ')}`),
  `engine folder cycles (SCCs): ${folderCycles.length}`,
  ...folderCycles.map((c) => `  - ${c.join(' ↔ ')}`),
  `files that hold SQL: src ${sqlIn('src').length}, test ${sqlIn('test').length}, bench ${sqlIn('bench').length}`,
  `  of which under src/engine/library (stores and migrations): ${sqlIn('src').filter((f) => f.startsWith('src/engine/library/')).length}; elsewhere: ${sqlIn('src').filter((f) => !f.startsWith('src/engine/library/')).length}`,
  ...sqlIn('src').map((f) => `  - ${f}`),
  `bench/evaluation code inside src/engine: ${sum(benchInEngine)} lines in ${benchInEngine.length} files, of ${sum(engineFiles)} engine lines (${((100 * sum(benchInEngine)) / sum(engineFiles)).toFixed(1)}%)`,
  ...benchInEngine.map((f) => `  - ${f} (${lines(f)})`),
  `longest files: ${longest.map((f) => `${f} (${lines(f)})`).join(', ')}`,
  `longest file under src/engine: ${[...engineFiles]
    .sort((a, b) => lines(b) - lines(a))
    .slice(0, 1)
    .map((f) => `${f} (${lines(f)})`)}`,
  `longest line: ${longestLine.n} chars (${longestLine.f}:${longestLine.i})`,
];
console.log(out.join('\n'));
