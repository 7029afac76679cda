/**
 * `npm run bench`: every benchmark in one run, each printing its own table. Pass names to run a
 * subset (`npm run bench -- ann storage`) and `--quick` for smaller sizes.
 */
const suites: Record<string, string> = {
  ann: './ann-bench.ts',
  ivf: './ivf-bench.ts',
  expr: './expr-bench.ts',
  spatial: './spatial-bench.ts',
  fts: './fts-bench.ts',
  storage: './storage-bench.ts',
  grpc: './grpc-bench.ts',
  percall: './percall-bench.ts',
  segments: './segments-bench.ts',
  memory: './memory-bench.ts',
  // Long (30 min by default): only when named, `npm run bench -- soak [--minutes N]`.
  soak: './soak-bench.ts',
};
const onlyWhenNamed = new Set(['soak']);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--minutes');
for (const [name, file] of Object.entries(suites)) {
  if (wanted.length > 0 ? !wanted.includes(name) : onlyWhenNamed.has(name)) continue;
  let mod: { run?: (opts: { quick: boolean }) => Promise<void> };
  try {
    mod = (await import(file)) as typeof mod;
  } catch (err) {
    console.log(`\n## ${name}: not available (${(err as Error).message.split('\n')[0]})`);
    continue;
  }
  console.log(`\n## ${name}`);
  const t0 = performance.now();
  await mod.run?.({ quick });
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
