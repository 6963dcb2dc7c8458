// One lint config for the monorepo. The dependency rule of DESIGN.md §2 is enforced here:
// sync-core imports nothing of ours and no framework; adapters import only sync-core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const frameworks = ['@nestjs/*', 'typeorm', 'typeorm/*', 'mysql2', 'mysql2/*', 'xero-node', 'xero-node/*', 'axios', 'express'];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['packages/sync-core/src/**/*.ts'],
    rules: restrict([...frameworks, '@oc-xero/*'], 'sync-core is the domain: it imports no framework and nothing of ours.'),
  },
  {
    files: ['packages/opencart-db/src/**/*.ts', 'packages/xero-client/src/**/*.ts'],
    rules: restrict(
      ['@oc-xero/api', '@oc-xero/opencart-db', '@oc-xero/xero-client', '@oc-xero/xero-sandbox'],
      'Adapters depend on sync-core only (DESIGN.md §2).',
    ),
  },
  {
    files: ['apps/api/src/**/*.ts'],
    rules: restrict(
      ['@oc-xero/xero-sandbox', '@oc-xero/sample-store', '@oc-xero/devtools', '@oc-xero/opencart-harness'],
      'The service never uses the sandbox, the sample store or the development tools at run time (tools/ and tests may).',
    ),
  },
  {
    files: ['packages/xero-sandbox/src/**/*.ts'],
    rules: restrict(['@oc-xero/*'], 'The sandbox stands alone: it plays Xero, and knows nothing of our code.'),
  },
);
