// Lint: typescript-eslint's recommended rules, React hooks rules for the web app, and the
// architecture's import boundaries (docs/ARCHITECTURE.md, "Boundaries"), checked on every run.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

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
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          message: '${file.type} may not import ${dependency.type} (see docs/ARCHITECTURE.md, Boundaries)',
          rules: [
            { from: 'contracts', allow: ['contracts'] },
            { from: 'package', allow: [['package', { name: '${from.name}' }]] },
            { from: 'platform', allow: ['platform', 'contracts', 'config'] },
            { from: 'module', allow: ['platform', 'contracts', 'package', 'module', 'test-harness', 'config'] },
            { from: 'demo', allow: ['module', 'platform', 'contracts'] },
            { from: 'config', allow: [] },
            { from: 'composition', allow: ['composition', 'config', 'module', 'platform', 'demo', 'contracts'] },
            {
              from: 'test-harness',
              allow: ['composition', 'config', 'module', 'platform', 'contracts', 'test-harness'],
            },
            { from: 'web', allow: ['web', 'contracts'] },
          ],
        },
      ],
      // Another module is reached only through its index.ts.
      'boundaries/entry-point': [
        'error',
        {
          default: 'disallow',
          rules: [
            // A module's test factories (*.factories.ts) are a second surface, for other tests.
            { target: ['module'], allow: ['index.ts', '*.factories.ts'] },
            {
              target: ['contracts', 'package', 'platform', 'demo', 'test-harness', 'config', 'composition', 'web'],
              allow: '**',
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
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          rules: [
            {
              from: ['platform', 'module', 'composition', 'demo', 'test-harness', 'config'],
              allow: ['platform', 'module', 'composition', 'demo', 'test-harness', 'config', 'contracts', 'package'],
            },
          ],
        },
      ],
    },
  },
);
