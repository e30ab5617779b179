import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { fakeProviderEnv } from './e2e/fakes/registry';
import { browserExecutable } from './e2e/support/browser';
import { E2E_PORT, e2eServerEnv } from './e2e/support/server-env';

// One temporary data folder per `npm test`, shared by the web server and the workers
// (workers inherit the environment of the process that loaded this file first).
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'proofsheet-e2e-'));

// At the root, where Playwright looks first; npm runs it from there. Paths are absolute so the
// old location's re-export (e2e/playwright.config.ts) resolves the same folders.
const root = process.cwd();

export default defineConfig({
  testDir: path.join(root, 'e2e'),
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: path.join(root, 'test-results'),
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'retain-on-failure',
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: browserExecutable(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: [
    {
      command: 'npx tsx e2e/fakes/serve.ts',
      cwd: root,
      url: 'http://127.0.0.1:4599/health',
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
    },
    {
      // The production build, as users run it; the server log is kept for the keys test.
      command: `npx next build && npx next start -p ${E2E_PORT} -H 127.0.0.1 2>&1 | tee ${path.join(process.env.E2E_DATA_DIR, 'server.log')}`,
      cwd: root,
      url: `http://127.0.0.1:${E2E_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 600_000, // the build runs first; 2 cores shared with a test run can take minutes
      env: e2eServerEnv(process.env.E2E_DATA_DIR, { ...fakeProviderEnv(), PUBLIC_BASE_URL: `http://127.0.0.1:${E2E_PORT}` }),
      stdout: 'pipe',
    },
  ],
});
