/**
 * The dependency rule of docs/architecture.md, checked mechanically: each top-level folder of src/
 * imports only the folders it may, and only src/storage touches the file system.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');

const allowed: Record<string, string[]> = {
  core: [],
  storage: ['core'],
  index: ['core', 'storage'],
  text: ['core'],
  expr: ['core', 'index', 'text'],
  engine: ['core', 'storage', 'index', 'expr', 'text'],
  client: ['core', 'engine', 'storage', 'index'],
  server: ['core', 'engine', 'storage', 'index', 'client'],
  cli: ['core', 'engine', 'storage', 'index', 'expr', 'client', 'server'],
  '.': ['client', 'core', 'engine'],
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

test('each folder imports only what docs/architecture.md allows; only storage uses node:fs', () => {
  const problems: string[] = [];
  for (const file of files(SRC)) {
    const from = area(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
      const spec = m[1]!;
      if (/^node:fs(\/promises)?$/.test(spec) && from !== 'storage') problems.push(`${relative(SRC, file)} uses ${spec}`);
      if (!spec.startsWith('.')) continue;
      const to = area(resolve(dirname(file), spec));
      if (to !== from && !allowed[from]!.includes(to)) problems.push(`${relative(SRC, file)} imports ${to}/ (${spec})`);
    }
  }
  assert.deepEqual(problems, []);
});
