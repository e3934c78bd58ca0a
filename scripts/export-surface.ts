/**
 * Prints the public surface of each workspace package: for every entry in its package.json `exports`, how many
 * names it exports, and how many of them are imported by files outside the package (other packages, apps, bench,
 * tests). Used to keep the `.` entries small and to see which subpath a name belongs to.
 *
 * @example
 * ```sh
 * pnpm tsx scripts/export-surface.ts           # table per package and entry
 * pnpm tsx scripts/export-surface.ts --unused  # also list names nobody outside the package imports
 * ```
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.turbo', 'results', '.git']);
const EXPORT_LIST = /export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g;
const EXPORT_STAR = /export\s+\*\s+from\s*'([^']+)'/g;
const EXPORT_DECL =
  /export\s+(?:declare\s+)?(?:async\s+)?(?:const|let|function\*?|class|type|interface|enum)\s+(\w+)/g;
const IMPORT_LIST =
  /(?:import|export)\s+(?:type\s+)?(?:\w+\s*,\s*)?\{([^}]*)\}\s*from\s*'(@duckside\/[^']+)'/g;

interface Entry {
  readonly subpath: string;
  readonly names: ReadonlySet<string>;
}

/** All `.ts` files under `dir`, skipping build output and dependencies. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP_DIRS.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The exported names of a list like `a, type B, c as d` (the outward names). */
function listNames(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter((part) => part.length > 0)
    .map((part) =>
      part
        .split(/\s+as\s+/)
        .at(-1)!
        .trim(),
    );
}

/** The names a module exports, following `export *` re-exports. */
function exportedNames(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const match of text.matchAll(EXPORT_LIST)) for (const name of listNames(match[1]!)) names.add(name);
  for (const match of text.matchAll(EXPORT_DECL)) names.add(match[1]!);
  for (const match of text.matchAll(EXPORT_STAR)) {
    for (const name of exportedNames(resolve(dirname(file), match[1]!))) names.add(name);
  }
  return names;
}

/** Names imported from each `@duckside/...` specifier by files outside `packageDir`. */
function importsFromOutside(packageDir: string, files: readonly string[]): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const file of files) {
    if (file.startsWith(packageDir + '/')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_LIST)) {
      const names = used.get(match[2]!) ?? new Set<string>();
      for (const name of listNames(match[1]!)) names.add(name);
      used.set(match[2]!, names);
    }
  }
  return used;
}

/** The entries a package's `exports` map declares, with the names each source file exports. */
function packageEntries(packageDir: string): { name: string; entries: Entry[] } {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    exports?: Record<string, { source?: string }>;
  };
  const entries = Object.entries(manifest.exports ?? {})
    .filter(([, conditions]) => conditions.source?.endsWith('.ts'))
    .map(([subpath, conditions]) => ({
      subpath,
      names: exportedNames(join(packageDir, conditions.source!)),
    }));
  return { name: manifest.name, entries };
}

const showUnused = process.argv.includes('--unused');
const files = tsFiles(ROOT);
for (const group of ['packages']) {
  for (const dirName of readdirSync(join(ROOT, group)).sort()) {
    const packageDir = join(ROOT, group, dirName);
    const { name, entries } = packageEntries(packageDir);
    const used = importsFromOutside(packageDir, files);
    let total = 0;
    let totalUsed = 0;
    const lines: string[] = [];
    for (const entry of entries) {
      const specifier = entry.subpath === '.' ? name : `${name}/${entry.subpath.slice(2)}`;
      const usedHere = used.get(specifier) ?? new Set<string>();
      const usedNames = [...entry.names].filter((n) => usedHere.has(n));
      total += entry.names.size;
      totalUsed += usedNames.length;
      lines.push(
        `  ${specifier.padEnd(32)} ${String(entry.names.size).padStart(4)} names, ${usedNames.length} used outside`,
      );
      if (showUnused) {
        const unused = [...entry.names].filter((n) => !usedHere.has(n)).sort();
        if (unused.length > 0) lines.push(`    unused outside: ${unused.join(', ')}`);
      }
    }
    console.log(
      `${name} (${relative(ROOT, packageDir)}): ${total} names, ${totalUsed} used outside, ${total - totalUsed} not`,
    );
    for (const line of lines) console.log(line);
  }
}
