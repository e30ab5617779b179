import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { productImage } from './images';

/** Drops files onto the reference tray the way a browser does: a real drop event with a DataTransfer. */
export async function dropFiles(page: Page, files: string[]): Promise<void> {
  const payload = files.map((f) => ({ name: path.basename(f), data: readFileSync(f).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], item.name, { type: item.name.endsWith('.png') ? 'image/png' : 'image/jpeg' }));
    }
    return dt;
  }, payload);
  const zone = page.getByLabel('Reference images').locator('..');
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });
}

/** Starts a fresh session and waits until the studio is on it (not the one we came from). */
export async function newSession(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/s\//);
  const before = page.url();
  await page.getByRole('button', { name: 'New session' }).click();
  await page.waitForURL((url) => url.href !== before && url.pathname.startsWith('/s/'));
  await expect(page.getByRole('heading', { name: 'Untitled session' })).toBeVisible();
  await expect(page.getByText('No runs yet')).toBeVisible();
}

export function uploadProblems(page: Page) {
  return page.getByRole('list', { name: 'Upload problems' });
}

export function variations(page: Page) {
  return page.getByRole('img', { name: /^Variation/ });
}

/**
 * Fills the composer and presses Generate: one reference (a product image of `colour`), the
 * instruction, `count` variations per target, and any `targets` checked beside the engine.
 */
export async function generate(page: Page, instruction: string, count: number, file: string, colour = '#e8590c', targets: RegExp[] = []) {
  await page.getByLabel('Reference images').setInputFiles(await productImage(file, colour));
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(1);
  await page.getByLabel('Instruction').fill(instruction);
  for (const name of targets) await page.getByRole('group', { name: 'Targets' }).getByRole('checkbox', { name }).check();
  await page.getByLabel('Variations per target').selectOption(String(count));
  await page.getByRole('button', { name: 'Generate' }).click();
}

/** Opens the session's grid once its `cellCount` images show, and selects the first `take` (click, then Shift-click). */
export async function selectInGrid(page: Page, cellCount: number, take = cellCount): Promise<void> {
  await page.getByRole('navigation', { name: 'Session views' }).getByRole('link', { name: 'Grid' }).click();
  const cells = page.getByRole('grid', { name: 'Variations' }).getByRole('gridcell');
  await expect(cells).toHaveCount(cellCount);
  await expect(cells.nth(cellCount - 1).getByRole('img')).toBeVisible();
  await cells.nth(0).click();
  if (take > 1) await cells.nth(take - 1).click({ modifiers: ['Shift'] });
  await expect(page.getByText(`${take} selected`)).toBeVisible();
}
