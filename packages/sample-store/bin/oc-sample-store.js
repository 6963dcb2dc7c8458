#!/usr/bin/env node
'use strict';
// The `oc-sample-store` command: a plain shim over the compiled CLI, committed so npm links it at install
// time (before anything is built).
try {
  require.resolve('../dist/cli.js');
} catch {
  process.stderr.write('oc-sample-store: not built yet: run `npm run build` at the repository root first.\n');
  process.exit(2);
}
require('../dist/cli.js');
