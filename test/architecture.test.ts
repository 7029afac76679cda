/**
 * The dependency rule of docs/architecture.md, checked mechanically: each top-level folder of src/
 * imports only the folders it may, and only src/storage touches the file system. Every kind of import
 * counts — type-only ones too (`import type`, `export type`, `import { type X }`, `typeof import('…')`),
 * re-exports, side-effect and dynamic imports: TypeScript's own pre-processor lists them (comments and
 * strings are not imports).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve('src');

const allowed: Record<string, string[]> = {
  core: [],
  storage: ['core'],
  index: ['core', 'storage'],
  text: ['core'],
  expr: ['core', 'index', 'text'],
  engine: ['core', 'storage', 'index', 'expr', 'text'],
  api: ['core', 'engine', 'storage', 'index'],
  client: ['core', 'engine', 'storage', 'index', 'api'],
  server: ['core', 'engine', 'storage', 'index', 'api'],
  cli: ['core', 'engine', 'storage', 'index', 'expr', 'api', 'client', 'server'],
  '.': ['api', 'client', 'core', 'engine'],
};

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      if (e !== 'assembly') files(p, out);
    } else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function area(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0]! : '.';
}

/** Every module specifier the file imports or re-exports, value or type, static or dynamic. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

test('the import scanner sees type-only, re-exported, side-effect and dynamic imports, not comments', () => {
  const text = [
    "import type { A } from '../a.js';",
    'import { type B } from "../b.js";',
    "export type { C } from '../c.js';",
    "export * from '../d.js';",
    "import '../e.js';",
    "type F = typeof import('../f.js');",
    "let g: import('../g.js').G;",
    "const h = await import('../h.js');",
    "// import x from '../comment.js';",
    `const s = "import y from '../string.js'";`,
  ].join('\n');
  assert.deepEqual(importsOf(text), ['../a.js', '../b.js', '../c.js', '../d.js', '../e.js', '../f.js', '../g.js', '../h.js']);
});

test('each folder imports only what docs/architecture.md allows; only storage uses node:fs', () => {
  const problems: string[] = [];
  for (const file of files(SRC)) {
    const from = area(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (/^(?:node:)?fs(?:\/promises)?$/.test(spec) && from !== 'storage') problems.push(`${relative(SRC, file)} uses ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      // Outside src/ (cli reads ../../package.json for its version) is not a layer.
      if (relative(SRC, target).startsWith('..')) continue;
      const to = area(target);
      if (to !== from && !allowed[from]!.includes(to)) problems.push(`${relative(SRC, file)} imports ${to}/ (${spec})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the servers never import the embedded client (shared encoding lives in src/api), type-only imports included', () => {
  const problems: string[] = [];
  for (const file of files(join(SRC, 'server'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.') && area(resolve(dirname(file), spec)) === 'client') problems.push(`${relative(SRC, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(problems, []);
});
