// Shared jest settings. Workspace packages resolve to their TypeScript sources, so tests never
// depend on a stale build. Unit tests: src/**/*.spec.ts. Medium tests (real MariaDB, real HTTP):
// test/**/*.medium.spec.ts, run with `npm run test:medium` in the package.
const path = require('path');

module.exports = function jestConfig(dir, overrides = {}) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(dir, 'tsconfig.json'), diagnostics: false }],
    },
    moduleNameMapper: {
      '^@oc-xero/sync-core/testing$': path.join(__dirname, 'packages/sync-core/src/testing'),
      '^@oc-xero/(sync-core|opencart-db|xero-client|xero-sandbox|sample-store)$': path.join(__dirname, 'packages/$1/src'),
      '^@oc-xero/opencart-harness$': path.join(__dirname, 'tools/opencart-harness/src'),
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...overrides,
  };
};
