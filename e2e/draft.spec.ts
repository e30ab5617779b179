import { expect, test, type Page } from '@playwright/test';
import { productImage } from './support/images';
import { newSession, variations } from './support/studio';

function references(page: Page) {
  return page.getByRole('list', { name: 'References', exact: true }).getByRole('img');
}

async function expectDraft(page: Page, instruction: string, count: string) {
  await expect(page.getByLabel('Instruction')).toHaveValue(instruction);
  await expect(page.getByLabel('Variations per target')).toHaveValue(count);
  await expect(references(page)).toHaveCount(1);
}

test('the composer draft survives switching views, a reload and a second tab', async ({ page, context }) => {
  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles(await productImage('draft.png', '#7048e8'));
  await expect(references(page)).toHaveCount(1);
  await page.getByLabel('Instruction').fill('put it on a marble table');
  await page.getByLabel('Variations per target').selectOption('3');

  // Switching views keeps the composer as it is (it lives in the session's layout).
  const views = page.getByRole('navigation', { name: 'Session views' });
  await views.getByRole('link', { name: 'Grid' }).click();
  await expect(page).toHaveURL(/\/grid$/);
  await expect(page.getByRole('img', { name: /^Image 1: draft\.png/ })).toBeVisible();
  await expectDraft(page, 'put it on a marble table', '3');
  await views.getByRole('link', { name: 'Lineage' }).click();
  await expect(page).toHaveURL(/\/lineage$/);
  await expect(page.getByRole('img', { name: /^Image 1: draft\.png/ })).toBeVisible();
  await expectDraft(page, 'put it on a marble table', '3');
  await views.getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByText('No runs yet')).toBeVisible();
  await expectDraft(page, 'put it on a marble table', '3');

  // It is saved on the server as it changes: a reload and another tab both bring it back.
  await expect(page.getByText('Uploading…')).toBeHidden();
  await expect(page.getByText('Draft saved')).toBeVisible();
  await page.reload();
  await expectDraft(page, 'put it on a marble table', '3');
  const second = await context.newPage();
  await second.goto(page.url());
  await expectDraft(second, 'put it on a marble table', '3');
  await second.close();
});

test('forking from a provenance page puts that output first, before the draft’s references', async ({ page }) => {
  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles(await productImage('origin.png', '#e67700'));
  await expect(references(page)).toHaveCount(1);
  await page.getByLabel('Instruction').fill('make it teal');
  await page.getByLabel('Variations per target').selectOption('1');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(variations(page)).toHaveCount(1);
  await expect(page.getByText('Draft saved')).toBeVisible();

  await page.getByRole('navigation', { name: 'Session views' }).getByRole('link', { name: 'Lineage' }).click();
  await page.getByRole('link', { name: 'Open provenance of Variation 1 of run 1' }).click();
  await page.getByRole('link', { name: 'Fork from here' }).click();
  await expect(page).toHaveURL(/\/s\/[^/]+\?fork=/);
  await expect(references(page)).toHaveCount(2);
  await expect(references(page).first()).toHaveAccessibleName(/^Image 1: run-1-variation-1/);
  await expect(page.getByText('Next run continues from a variation.')).toBeVisible();
  await expect(page.getByLabel('Instruction')).toHaveValue('make it teal');
});

test('the draft keeps a provider safety setting across a reload', async ({ page }) => {
  await newSession(page);
  await page.getByLabel('Instruction').fill('soften the shadows');
  await page
    .getByRole('group', { name: 'Targets' })
    .getByRole('checkbox', { name: /^FLUX\.1 Kontext \[pro\] \(fal\)/ })
    .check();
  const level = page.getByLabel('FLUX.1 Kontext [pro] (fal): safety_tolerance');
  await expect(level).toHaveValue('2'); // the vendor's default
  await expect(page.getByText('Draft saved')).toBeVisible();
  // The change is saved after a pause: 'Saving draft…' shows at once, then 'Draft saved' again.
  const saved = page.waitForResponse((r) => /"safety":\{[^}]*:5\}/.test(r.request().postData() ?? ''));
  await level.selectOption('5');
  await saved;
  await expect(page.getByText('Draft saved')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Instruction')).toHaveValue('soften the shadows');
  await expect(page.getByLabel('FLUX.1 Kontext [pro] (fal): safety_tolerance')).toHaveValue('5');
});
