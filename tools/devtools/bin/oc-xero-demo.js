#!/usr/bin/env node
'use strict';
// The `oc-xero-demo` command: a plain shim over the compiled tool, committed so npm links it at install
// time (before anything is built).
try {
  require.resolve('../dist/demo.main.js');
} catch {
  process.stderr.write('oc-xero-demo: not built yet: run `npm run build` at the repository root first.\n');
  process.exit(2);
}
require('../dist/demo.main.js').main();
