/**
 * A real English corpus on every Debian machine: the package descriptions of `apt-cache dumpavail`
 * (short and long description, continuation lines joined), one per package name. Generated when a
 * test or benchmark runs, never committed. Empty when apt-cache is missing or has no lists.
 */
import { execFileSync } from 'node:child_process';

/** Package name → description (cut at `maxChars`), names in sorted order. */
export function debianDescriptionsByName(maxChars: number): Map<string, string> {
  let out: string;
  try {
    out = execFileSync('apt-cache', ['dumpavail'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  } catch {
    return new Map();
  }
  const byName = new Map<string, string>();
  for (const block of out.split('\n\n')) {
    const name = /^Package: (.+)$/m.exec(block)?.[1];
    const m = /^Description(?:-en)?: (.*(?:\n .*)*)/m.exec(block);
    if (!name || !m || byName.has(name)) continue;
    byName.set(name, m[1]!.replace(/\n \.?/g, ' ').slice(0, maxChars));
  }
  return new Map([...byName.keys()].sort().map((n) => [n, byName.get(n)!]));
}
