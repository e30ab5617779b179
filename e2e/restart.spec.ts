import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startApp } from './support/app-server';
import { productImage } from './support/images';
import { variations } from './support/studio';

test('a server killed mid-run leaves no variation stuck: the engine resumes after restart', async ({ page }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-restart-'));
  // A slow engine keeps the variations running long enough to kill the server under them.
  let app = await startApp(3211, dataDir, { ENGINE_DELAY_MS: '20000', WORKER_CONCURRENCY: '2' });
  try {
    await page.goto(app.url);
    await page.getByLabel('Reference images').setInputFiles(await productImage('restart.png', '#5f3dc4'));
    await expect(page.getByRole('img', { name: /^Image 1: restart\.png/ })).toBeVisible();
    await page.getByLabel('Instruction').fill('make it sepia');
    await page.getByLabel('Variations per target').selectOption('2');
    await page.getByRole('button', { name: 'Generate' }).click();
    const run = page.getByRole('article', { name: 'Run 1' });
    await expect(run.getByRole('status').filter({ hasText: /Submitting|Running/ })).toHaveCount(2);

    await app.kill('SIGKILL');
    // While the server is down the studio says it is reconnecting, and keeps polling.
    await expect(page.getByRole('status').filter({ hasText: 'Reconnecting to the server' })).toBeVisible();
    app = await startApp(3211, dataDir, { ENGINE_DELAY_MS: '0' });
    // No reload: the open tab picks the resumed variations up by itself.
    await expect(variations(page)).toHaveCount(2, { timeout: 30_000 });
    await expect(run.getByRole('status')).toHaveCount(0);
    await page.reload();
    await expect(variations(page)).toHaveCount(2);
  } finally {
    await app.kill('SIGTERM');
  }
});
