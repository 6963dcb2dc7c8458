#!/usr/bin/env node
'use strict';
// The `xero-sandbox` command: a plain shim over the compiled CLI, committed so npm links it at install
// time (before anything is built).
try {
  require.resolve('../dist/cli.js');
} catch {
  process.stderr.write('xero-sandbox: not built yet: run `npm run build` at the repository root first.\n');
  process.exit(2);
}
require('../dist/cli.js');
