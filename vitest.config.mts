import path from 'node:path';
import { defineConfig } from 'vitest/config';

// At the root, where Vitest looks first; `npm run test:unit` and a bare `npx vitest` agree.
const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // `server-only` throws outside React Server Components; tests run server code directly.
      'server-only': path.resolve(root, 'lib/testing/empty-module.ts'),
    },
  },
  test: {
    root,
    include: ['lib/**/*.test.ts', 'e2e/fakes/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Generous: sharp, SQLite and child processes share two cores with a parallel worker.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep the pool small so sharp and SQLite tests do not starve each other.
    maxWorkers: 2,
  },
});
