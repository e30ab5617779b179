import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

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
