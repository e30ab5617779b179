import { expect, type Page, test } from '@playwright/test';
import { generate, newSession, selectInGrid, variations } from './support/studio';

/** The gallery page's items, in order, by their accessible names ("1. <caption or name>"). */
async function order(page: Page): Promise<string[]> {
  return page
    .getByRole('list', { name: 'Gallery items' })
    .locator(':scope > li')
    .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? '').replace(/^\d+\. /, '')));
}

test('select in the grid, add to a new gallery, reorder by keyboard, caption, remove; a reload keeps it', async ({ page }) => {
  await newSession(page);
  await generate(page, 'replace the background with navy', 3, 'gallery.png', '#2b8a3e');
  await expect(variations(page)).toHaveCount(3);

  await selectInGrid(page, 3);
  const bar = page.getByRole('toolbar', { name: 'Selected variations' });
  await expect(bar.getByRole('button', { name: 'Add to compare tray' })).toBeVisible();
  await bar.getByRole('button', { name: 'Add to gallery' }).click();

  const dialog = page.getByRole('dialog', { name: /^Add to gallery/ });
  await expect(dialog).toBeVisible();
  const title = `Marble mugs ${Date.now()}`;
  await dialog.getByLabel('New gallery title').fill(title);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Added 3 images to “${title}”.`)).toBeVisible();
  await page.getByRole('button', { name: 'Open', exact: true }).click();

  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Review summary' })).toContainText('Nothing new since you last looked');
  const [a, b, c] = await order(page);
  expect([a, b, c].every((n) => /^Run 1 · .* · seed \d+$/.test(n ?? ''))).toBe(true);
  expect(new Set([a, b, c]).size).toBe(3);

  // Keyboard: the first item moves later with its button, then once more with Alt+ArrowRight.
  const later = page.getByRole('button', { name: `Move ${a} later` });
  await later.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => order(page)).toEqual([b, a, c]);
  await expect(later).toBeFocused();
  await page.keyboard.press('Alt+ArrowRight');
  await expect.poll(() => order(page)).toEqual([b, c, a]);
  await page.getByRole('button', { name: `Move ${b} later` }).focus();
  await page.keyboard.press('Alt+ArrowRight');
  await expect.poll(() => order(page)).toEqual([c, b, a]);

  // Caption the new first item; remove the middle one.
  const caption = page.getByLabel(`Caption for ${c}`);
  await caption.fill('Hero shot');
  await caption.press('Enter');
  await expect.poll(() => order(page)).toEqual(['Hero shot', b, a]);
  await page.getByRole('button', { name: `Remove ${b} from the gallery` }).click();
  await expect.poll(() => order(page)).toEqual(['Hero shot', a]);
  // A removal can be undone from its toast: the item comes back in its place.
  await page.getByRole('button', { name: `Remove ${a} from the gallery` }).click();
  await expect.poll(() => order(page)).toEqual(['Hero shot']);
  const toast = page.getByRole('status').filter({ hasText: `Removed ${a} from the gallery.` });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => order(page)).toEqual(['Hero shot', a]);

  // Saved: the same order and caption after a reload.
  await expect(async () => {
    await page.reload();
    expect(await order(page)).toEqual(['Hero shot', a]);
  }).toPass({ timeout: 15_000 });
  await expect(page.getByLabel(`Caption for ${c}`)).toHaveValue('Hero shot');
  const items = page.getByRole('list', { name: 'Gallery items' });
  await expect(items.getByRole('link', { name: `Provenance of ${c}` })).toHaveAttribute('href', /^\/v\//);

  // The galleries list shows it with its cover and count; the studio's sidebar lists it.
  await page.getByRole('link', { name: 'Galleries' }).click();
  await expect(page.getByRole('list', { name: 'Galleries' }).getByRole('link', { name: new RegExp(title) })).toContainText('2 items');
  await page.goto('/');
  await expect(page.getByRole('list', { name: 'Recent galleries' }).getByRole('link', { name: new RegExp(title) })).toBeVisible();
});
