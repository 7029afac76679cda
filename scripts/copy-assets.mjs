// tsc compiles .ts only: copy the generated JavaScript modules (the peggy parser) into dist/ beside
// their compiled neighbours. Runs as part of `npm run build:ts`.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.generated.js') || p.endsWith('.generated.d.ts')) cpSync(p, join('dist', p.slice('src/'.length)));
  }
}
walk('src');
