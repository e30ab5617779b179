import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { productImage } from './support/images';

test('a batch of four images from the studio: progress, the grid fills, the zip has its manifests', async ({ page }) => {
  await page.goto('/batches');
  const files = await Promise.all(['#e8590c', '#0b7285', '#5f3dc4', '#2b8a3e'].map((c, i) => productImage(`batch-${i + 1}.png`, c)));
  await page.getByLabel('Batch images').setInputFiles(files);
  await expect(page.getByTestId('batch-upload-count')).toContainText('4 of 4 images ready', { timeout: 30_000 });
  await page.getByLabel('Instruction').fill('Put the product on a plain white background');

  const picker = page.getByRole('group', { name: 'Targets' });
  for (const box of await picker.getByRole('checkbox', { checked: true }).all()) await box.uncheck();
  await picker.getByRole('checkbox', { name: /^Offline engine \(non-generative\)/ }).check();
  await page.getByRole('button', { name: 'Start batch of 4' }).click();

  await expect(page).toHaveURL(/\/batches\/[^/]+$/);
  await expect(page.getByTestId('batch-row')).toHaveCount(4);
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.getByTestId('batch-output')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('batch-progress')).toContainText('4 done', { timeout: 30_000 });
  await expect(page.getByTestId('batch-status')).toHaveText('done');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export zip' }).click()]);
  const zip = readFileSync((await download.path())!).toString('latin1');
  expect(zip.startsWith('PK')).toBe(true);
  expect(zip).toContain('manifest.csv');
  expect(zip).toContain('manifest.json');
  // Outputs are stored uncompressed, one per item; each name appears in a local and a central header.
  expect(zip.match(/outputs\/\d{4}-batch-\d/g)?.length).toBe(8);
});
