import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule (docs/ARCHITECTURE.md), checked on the import statements themselves:
 * the engine never imports electron, common imports nothing platform-specific, and the renderer
 * reaches the engine only through the API contract in src/common.
 */
const ROOT = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|svelte|mts|cts)$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(full, f));
}

export function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  const patterns = [/\bimport\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g, /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function resolvedLayer(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return path.relative(ROOT, path.resolve(path.dirname(file), specifier));
}

describe('layering', () => {
  it('the engine never imports electron', () => {
    const offenders = sourceFiles('src/engine').flatMap((file) => importsOf(file).filter((s) => s === 'electron' || s.startsWith('electron/')).map((s) => `${path.relative(ROOT, file)} → ${s}`));
    expect(sourceFiles('src/engine').length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('the engine and the CLI never import from electron/ or renderer/', () => {
    const offenders = [...sourceFiles('src/engine'), ...sourceFiles('src/cli')].flatMap((file) =>
      importsOf(file)
        .map((s) => resolvedLayer(file, s))
        .filter((target): target is string => !!target && (target.startsWith('electron') || target.startsWith('renderer')))
        .map((target) => `${path.relative(ROOT, file)} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('common imports only zod and itself', () => {
    const offenders = sourceFiles('src/common').flatMap((file) =>
      importsOf(file)
        .filter((s) => !(s === 'zod' || (s.startsWith('.') && resolvedLayer(file, s)!.startsWith(path.join('src', 'common')))))
        .map((s) => `${path.relative(ROOT, file)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the renderer imports only src/common from the project', () => {
    const offenders = sourceFiles('renderer/src').flatMap((file) =>
      importsOf(file)
        .map((s) => ({ s, target: resolvedLayer(file, s) }))
        .filter(({ s, target }) => (target ? !(target.startsWith('renderer') || target.startsWith(path.join('src', 'common'))) : s === 'electron' || s.startsWith('node:')))
        .map(({ s }) => `${path.relative(ROOT, file)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the rule catches a violation (the checker itself works)', () => {
    const probe = path.join(ROOT, '.cache', 'layer-probe.ts');
    fs.mkdirSync(path.dirname(probe), { recursive: true });
    fs.writeFileSync(probe, "import { app } from 'electron';\nimport type { X } from '../renderer/src/x';\nconst y = require('electron/main');\n");
    try {
      expect(importsOf(probe)).toEqual(['electron', '../renderer/src/x', 'electron/main']);
    } finally {
      fs.rmSync(probe, { force: true });
    }
  });
});
