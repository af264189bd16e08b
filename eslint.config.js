// Lint: typescript-eslint's recommended rules, React hooks rules for the web app, and the
// architecture's import boundaries (docs/ARCHITECTURE.md, "Boundaries"), checked on every run.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Who may import modules at all, and which of a module's files they may import.
const MODULE_USERS = ['module', 'demo', 'composition', 'test-harness'];
const MODULE_ENTRIES = ['index.ts', '*.factories.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
    },
  },
  {
    files: ['scripts/**', 'e2e/**', 'bench/**', '.ci/**', 'apps/server/bin/**', '**/*.config.*'],
    rules: { 'no-console': 'off' },
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'setTimeout',
          'clearTimeout',
          'Buffer',
          'performance',
          'fetch',
          'AbortController',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['apps/**/*.{ts,tsx}', 'packages/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: ['apps/*/tsconfig.json', 'packages/*/tsconfig.json'] } },
      'boundaries/legacy-warnings': false,
      'boundaries/elements': [
        { type: 'contracts', pattern: 'packages/contracts' },
        { type: 'package', pattern: 'packages/*', capture: ['name'] },
        { type: 'platform', pattern: 'apps/server/src/platform' },
        { type: 'module', pattern: 'apps/server/src/modules/*', capture: ['name'] },
        { type: 'demo', pattern: 'apps/server/src/demo' },
        { type: 'test-harness', pattern: 'apps/server/src/test' },
        { type: 'config', pattern: 'apps/server/src/config.ts', mode: 'file' },
        { type: 'composition', pattern: 'apps/server/src/*.ts', mode: 'file' },
        { type: 'web', pattern: 'apps/web' },
      ],
    },
    rules: {
      // What each part may import (docs/ARCHITECTURE.md, "Boundaries"); the last policy that
      // matches decides. Imports within one element are not checked.
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message:
            '{{from.type}} may not import {{to.type}} {{to.internalPath}} (see docs/ARCHITECTURE.md, Boundaries)',
          policies: [
            { from: { element: { type: 'contracts' } }, allow: { to: { element: { type: 'contracts' } } } },
            {
              from: { element: { type: 'package' } },
              allow: { to: { element: { type: 'package', captured: { name: '{{from.element.captured.name}}' } } } },
            },
            {
              from: { element: { type: 'platform' } },
              allow: { to: { element: { types: ['platform', 'contracts', 'config'] } } },
            },
            {
              from: { element: { type: 'module' } },
              allow: {
                to: { element: { types: ['platform', 'contracts', 'package', 'module', 'test-harness', 'config'] } },
              },
            },
            {
              from: { element: { type: 'demo' } },
              allow: { to: { element: { types: ['module', 'platform', 'contracts'] } } },
            },
            {
              from: { element: { type: 'composition' } },
              allow: {
                to: { element: { types: ['composition', 'config', 'module', 'platform', 'demo', 'contracts'] } },
              },
            },
            {
              from: { element: { type: 'test-harness' } },
              allow: {
                to: {
                  element: { types: ['composition', 'config', 'module', 'platform', 'contracts', 'test-harness'] },
                },
              },
            },
            { from: { element: { type: 'web' } }, allow: { to: { element: { types: ['web', 'contracts'] } } } },
            // …but a module is reached only through its index.ts (or, by other tests, its *.factories.ts).
            { from: { element: { types: MODULE_USERS } }, disallow: { to: { element: { type: 'module' } } } },
            {
              from: { element: { types: MODULE_USERS } },
              allow: { to: { element: { type: 'module', fileInternalPath: MODULE_ENTRIES } } },
            },
          ],
        },
      ],
    },
  },
  {
    // The web app takes only types from the contracts' main entry (its values are zod schemas,
    // which would put zod in the main bundle) and its vocabularies from the zod-free subpath; the
    // record editor, a chunk of its own loaded on demand, validates with the contracts' code.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: [
      'apps/web/src/**/*.test.{ts,tsx}',
      'apps/web/src/features/cataloguing/RecordEditorPage.tsx',
      'apps/web/src/features/cataloguing/editor-state.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@athenaeum/contracts',
              allowTypeImports: true,
              message: 'Import types only; take vocabularies from @athenaeum/contracts/vocabulary.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may use the test harness, the composition root and the demo; they still reach
    // another module only through its index.ts or its *.factories.ts.
    files: ['apps/server/src/**/*.test.ts'],
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message:
            '{{from.type}} tests may not import {{to.type}} {{to.internalPath}} (see docs/ARCHITECTURE.md, Boundaries)',
          policies: [
            {
              from: { element: { types: ['platform', 'module', 'composition', 'demo', 'test-harness', 'config'] } },
              allow: {
                to: {
                  element: {
                    types: [
                      'platform',
                      'module',
                      'composition',
                      'demo',
                      'test-harness',
                      'config',
                      'contracts',
                      'package',
                    ],
                  },
                },
              },
            },
            { disallow: { to: { element: { type: 'module' } } } },
            { allow: { to: { element: { type: 'module', fileInternalPath: MODULE_ENTRIES } } } },
          ],
        },
      ],
    },
  },
);
