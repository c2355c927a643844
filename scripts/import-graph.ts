import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The project's import graph, read from the source text with TypeScript's own pre-processor
 * (`ts.preProcessFile`), which sees every kind of import: `import type`, `export … from`, dynamic
 * `import()`, `import('x').T` in type positions and `require()`. Shared by test/architecture.test.ts
 * (which enforces the layer order) and scripts/structure-metrics.ts (which counts cycles).
 */
export const ROOT = path.resolve(__dirname, '..');

const SOURCE = /\.(ts|mts|cts|svelte)$/;
const RESOLVABLE = ['', '.ts', '.mts', '.cts', '.svelte', '.svelte.ts', '.json', '/index.ts'];

/** Every source file under `dir` (relative to the repo root), as repo-relative paths with `/`. */
export function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => SOURCE.test(f) && !f.includes('node_modules') && !f.endsWith('.d.ts'))
    .map((f) => toPosix(path.join(dir, f)))
    .sort();
}

/** The module specifiers a source text imports, type-only ones included. Svelte: its script blocks. */
export function specifiersIn(text: string, fileName = 'x.ts'): string[] {
  const code = fileName.endsWith('.svelte') ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

/** The repo-relative file a relative specifier points at, or null for packages, `node:` and misses. */
export function resolveSpecifier(fromFile: string, specifier: string, exists: (p: string) => boolean = fileExists): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = toPosix(path.join(path.dirname(fromFile), specifier));
  for (const suffix of RESOLVABLE) if (exists(base + suffix)) return base + suffix;
  return null;
}

function fileExists(relative: string): boolean {
  const full = path.join(ROOT, relative);
  return fs.existsSync(full) && fs.statSync(full).isFile();
}

export type ImportGraph = Map<string, string[]>;

/** file → the project files it imports (relative specifiers that resolve), from a set of files. */
export function buildGraph(
  files: string[],
  read: (file: string) => string = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8'),
  exists?: (p: string) => boolean,
): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = specifiersIn(read(file), file)
      .map((s) => resolveSpecifier(file, s, exists))
      .filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one node, or with a self-loop (Tarjan's algorithm). */
export function cycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The graph between groups of files (e.g. engine folders), self-edges dropped. */
export function groupGraph(graph: ImportGraph, groupOf: (file: string) => string | null): ImportGraph {
  const grouped: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    const from = groupOf(file);
    if (from === null) continue;
    const edges = new Set(grouped.get(from) ?? []);
    for (const target of targets) {
      const to = groupOf(target);
      if (to !== null && to !== from) edges.add(to);
    }
    grouped.set(from, [...edges]);
  }
  return grouped;
}

/** The engine "room" of a file: its first folder under src/engine, or the file name for top-level files. */
export function engineFolderOf(file: string): string | null {
  const match = /^src\/engine\/([^/]+)/.exec(file);
  if (!match) return null;
  return match[1]!.replace(/\.ts$/, '');
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * The engine's rooms, lowest first (docs/ARCHITECTURE.md). A file may import its own folder and any
 * folder of a lower rank; folders of one rank never import each other. `context` and `engine` are the
 * files src/engine/context.ts and src/engine/engine.ts.
 */
export const ENGINE_LAYERS: readonly (readonly string[])[] = [
  // util: small helpers with no engine imports (path and text helpers), usable by every folder.
  ['util'],
  ['imaging', 'scan', 'models'],
  ['ml'],
  ['library'],
  ['analyzers', 'places'],
  ['indexing'],
  ['people', 'search', 'media'],
  ['context'],
  ['jobs'],
  ['api'],
  ['engine'],
];

/** Every engine import that goes up or sideways in `layers`, and every engine file in no layer. */
export function layerViolations(graph: ImportGraph, layers: readonly (readonly string[])[] = ENGINE_LAYERS): string[] {
  const rank = new Map(layers.flatMap((names, i) => names.map((name) => [name, i] as const)));
  const found: string[] = [];
  for (const [file, targets] of graph) {
    const from = engineFolderOf(file);
    if (from === null) continue;
    if (!rank.has(from)) {
      found.push(`${file}: folder "${from}" is in no layer (add it to ENGINE_LAYERS and docs/ARCHITECTURE.md)`);
      continue;
    }
    for (const target of targets) {
      const to = engineFolderOf(target);
      if (to === null || to === from) continue;
      if (!rank.has(to) || rank.get(to)! >= rank.get(from)!) found.push(`${file} → ${target} (${from} may not import ${to})`);
    }
  }
  return found;
}
