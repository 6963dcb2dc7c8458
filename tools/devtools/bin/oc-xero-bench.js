#!/usr/bin/env node
'use strict';
// The `oc-xero-bench` command: a plain shim over the compiled tool, committed so npm links it at install
// time (before anything is built).
try {
  require.resolve('../dist/bench.js');
} catch {
  process.stderr.write('oc-xero-bench: not built yet: run `npm run build` at the repository root first.\n');
  process.exit(2);
}
require('../dist/bench.js').main();
