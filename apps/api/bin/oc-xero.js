#!/usr/bin/env node
'use strict';
// The `oc-xero` command: a plain shim over the compiled CLI (run `npm run build` first).
try {
  require.resolve('../dist/cli/main.js');
} catch {
  process.stderr.write('oc-xero: the CLI is not built yet: run `npm run build` at the repository root first.\n');
  process.exit(2);
}
require('../dist/cli/main.js').main();
