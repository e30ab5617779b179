import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { productImage } from './support/images';
import { dropFiles, newSession, variations } from './support/studio';

test('drop two images, instruct, compare, download, reload: the whole loop', async ({ page }) => {
  const red = await productImage('red.png', '#d9480f');
  const blue = await productImage('blue.png', '#1c7ed6');
  await newSession(page);

  await dropFiles(page, [red, blue]);
  const refs = page.getByRole('list', { name: 'References', exact: true });
  await expect(refs.getByRole('img', { name: /^Image 1: red\.png/ })).toBeVisible();
  await expect(refs.getByRole('img', { name: /^Image 2: blue\.png/ })).toBeVisible();

  // Reorder: move image 2 to the front, then back.
  await page.getByRole('button', { name: 'Move image 2 left' }).click();
  await expect(refs.getByRole('img', { name: /^Image 1: blue\.png/ })).toBeVisible();
  await page.getByRole('button', { name: 'Move image 2 left' }).click();
  await expect(refs.getByRole('img', { name: /^Image 1: red\.png/ })).toBeVisible();

  await page.getByLabel('Instruction').fill('Remove the background and replace it with navy');
  await page.getByLabel('Variations per target').selectOption('2');
  await page.getByLabel('Instruction').press('Control+Enter');

  await expect(variations(page)).toHaveCount(2);
  await expect(page.getByRole('article', { name: 'Run 1' })).toContainText('Remove the background and replace it with navy');
  // The session takes its name from the first instruction, in the header and the sidebar.
  await expect(page.getByRole('heading', { name: 'Remove the background and replace it with navy' })).toBeVisible();
  // Each variation is labelled with target and seed; the two seeds differ.
  const names = await variations(page).evaluateAll((els) => els.map((e) => e.getAttribute('alt') ?? ''));
  expect(names.every((n) => n.includes('Offline engine'))).toBe(true);
  expect(new Set(names.map((n) => /seed (\d+)/.exec(n)?.[1])).size).toBe(2);

  // Compare against the reference, side by side then with the slider; arrows step, Esc closes.
  await page.getByRole('button', { name: /^Compare Variation 1/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('img', { name: /^A: Image 1 \(reference/ })).toBeVisible();
  await expect(dialog.getByRole('img', { name: /^B: Run 1 · Variation 1/ })).toBeVisible();
  await dialog.getByRole('radio', { name: 'Slider' }).click();
  const slider = dialog.getByRole('slider', { name: 'Slider position' });
  await slider.fill('20');
  await expect(slider).toHaveValue('20');
  await dialog.getByLabel('Compare B').focus();
  await dialog.getByRole('button', { name: 'Next candidate' }).click();
  await expect(dialog.getByRole('img', { name: /^B: Run 1 · Variation 2/ })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(dialog.getByRole('img', { name: /^B: Run 1 · Variation 1/ })).toBeVisible();

  // Download B: the original bytes, a PNG, with a sensible name.
  const downloadPromise = page.waitForEvent('download');
  await dialog.getByRole('link', { name: /^Download Run 1 · Variation 1/ }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^proofsheet-run1-offline-seed\d+\.png$/);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Everything is still there after a reload, and the session got a title from the instruction.
  await page.reload();
  await expect(variations(page)).toHaveCount(2);
  await expect(page.getByRole('navigation', { name: 'Sessions' }).getByRole('link', { name: /Remove the background/ })).toBeVisible();
});

test('use a variation as the reference of the next run', async ({ page }) => {
  const red = await productImage('red2.png', '#c2255c');
  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles(red);
  await expect(page.getByRole('img', { name: /^Image 1: red2\.png/ })).toBeVisible();
  await page.getByLabel('Instruction').fill('make it black and white');
  await page.getByLabel('Variations per target').selectOption('1');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(variations(page)).toHaveCount(1);

  await page.getByRole('button', { name: 'Remove image 1' }).click();
  await variations(page).first().hover();
  await page.getByRole('button', { name: /^Use Variation 1 .* as reference$/ }).click();
  await expect(page.getByText('Next run continues from a variation.')).toBeVisible();
  await page.getByLabel('Instruction').fill('rotate 90 degrees');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('article', { name: 'Run 2' })).toContainText('from a variation');
  await expect(variations(page)).toHaveCount(2);
});

test('an instruction the engine does not understand fails that variation with the vocabulary', async ({ page }) => {
  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles(await productImage('green.png', '#2f9e44'));
  await page.getByLabel('Instruction').fill('make it look like a renaissance painting');
  await page.getByLabel('Variations per target').selectOption('1');
  await page.getByRole('button', { name: 'Generate' }).click();
  const run = page.getByRole('article', { name: 'Run 1' });
  await expect(run.getByRole('alert')).toContainText('Request refused');
  await expect(run.getByRole('alert')).toContainText(/background/i);
  await expect(variations(page)).toHaveCount(0);
});
