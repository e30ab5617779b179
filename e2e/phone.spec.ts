import { expect, test, type Page } from '@playwright/test';
import { productImage } from './support/images';
import { variations } from './support/studio';

test.use({ viewport: { width: 390, height: 844 } });

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

test('on a phone the studio stacks: sessions in a drawer, references and Generate in reach, no sideways scroll', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/s\//);
  const before = page.url();

  // The sessions sidebar is a drawer behind a labelled button.
  const sessions = page.getByRole('navigation', { name: 'Sessions' });
  await expect(sessions).toBeHidden();
  const toggle = page.getByRole('button', { name: 'Sessions', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(sessions).toBeVisible();
  await page.getByRole('button', { name: 'New session' }).click();
  await page.waitForURL((url) => url.href !== before && url.pathname.startsWith('/s/'));
  await expect(page.getByRole('heading', { name: 'Untitled session' })).toBeVisible();
  await expect(sessions).toBeHidden();
  await expectNoSidewaysScroll(page);

  await page
    .getByLabel('Reference images')
    .setInputFiles([await productImage('phone-a.png', '#1c7ed6'), await productImage('phone-b.png', '#f08c00')]);
  const references = page.getByRole('list', { name: 'References', exact: true }).getByRole('img');
  await expect(references).toHaveCount(2);
  await expect(references.nth(0)).toBeVisible();
  await expect(references.nth(1)).toBeVisible();
  await page.getByLabel('Instruction').fill('make it black and white');
  await page.getByLabel('Variations per target').selectOption('2');

  const generate = page.getByRole('button', { name: 'Generate' });
  await generate.scrollIntoViewIfNeeded();
  await expect(generate).toBeVisible();
  await expect(generate).toBeInViewport();
  await expectNoSidewaysScroll(page);
  await generate.click();
  await expect(variations(page)).toHaveCount(2);
  await expect(variations(page).first()).toBeInViewport();
  await expectNoSidewaysScroll(page);

  // The other views fit too, and the tabs stay in reach.
  const views = page.getByRole('navigation', { name: 'Session views' });
  await views.getByRole('link', { name: 'Grid' }).click();
  await expect(page.getByRole('grid', { name: 'Variations' }).getByRole('gridcell')).toHaveCount(2);
  await expectNoSidewaysScroll(page);
  await views.getByRole('link', { name: 'Lineage' }).click();
  await expect(page.getByRole('link', { name: 'Open provenance of Variation 1 of run 1' })).toBeVisible();
  await expectNoSidewaysScroll(page);
});
