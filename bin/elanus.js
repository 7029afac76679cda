#!/usr/bin/env node
// The `elanus` command. Runs the compiled CLI (`npm run build` produces dist/).
import { main } from '../dist/cli/main.js';

main().catch((err) => {
  process.stderr.write(`elanus: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
