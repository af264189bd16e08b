import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The workspace packages from their sources (exact names: a subpath has an entry of its own).
const alias = [
  { find: /^@athenaeum\/contracts$/, replacement: path.resolve('packages/contracts/src/index.ts') },
  { find: /^@athenaeum\/contracts\/vocabulary$/, replacement: path.resolve('packages/contracts/src/vocabulary.ts') },
  { find: /^@athenaeum\/marc$/, replacement: path.resolve('packages/marc/src/index.ts') },
  { find: /^@athenaeum\/cql$/, replacement: path.resolve('packages/cql/src/index.ts') },
];

export default defineConfig({
  test: {
    // Vitest's default is cores − 1: one worker on the 2-core machines we run on; much of the
    // time is spent waiting on database servers and subprocesses, so use both cores.
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'server',
          include: ['apps/server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
          globalSetup: ['apps/server/src/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
