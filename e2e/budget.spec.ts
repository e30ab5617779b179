import { expect, test } from '@playwright/test';
import { fakeUrl, resetFake, setFakeMode } from './fakes/registry';
import { productImage } from './support/images';
import { newSession } from './support/studio';

const PAID = ['wavespeed', 'fal'];

async function setBudget(page: import('@playwright/test').Page, monthly: string) {
  await page.goto('/settings');
  const budget = page.getByRole('region', { name: 'Budget' });
  await budget.getByLabel('Monthly budget (USD)').fill(monthly);
  await budget.getByLabel('Per-session cap (USD)').fill('');
  await budget.getByRole('button', { name: 'Save budget' }).click();
  await expect(budget.getByRole('status')).toHaveText('Budget saved.');
}

test.beforeEach(async () => {
  await Promise.all(PAID.map(resetFake));
});

test.afterEach(async ({ page }) => {
  // The data folder is shared by every spec: leave no budget behind.
  await setBudget(page, '');
});

test('a run over the monthly budget is refused with its numbers and no provider receives a request', async ({ page }) => {
  await setBudget(page, '0.05');

  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles([await productImage('budget-1.png', '#2b8a3e')]);
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(1);
  await page.getByLabel('Instruction').fill('Place the product on a dark marble surface');
  const picker = page.getByRole('group', { name: 'Targets' });
  await picker.getByRole('checkbox', { name: /^Wan 2\.7 image edit \(WaveSpeed\)/ }).check();
  await picker.getByRole('checkbox', { name: /^FLUX\.1 Kontext \[pro\] \(fal\)/ }).check();
  await page.getByLabel('Variations per target').selectOption('1');

  // Beside Generate: $0.03 (WaveSpeed) + $0.04 (fal) + $0 (the engine), marked as an estimate.
  const form = page.getByRole('form', { name: 'New run' });
  await expect(form.getByRole('status', { name: 'Cost estimate' })).toHaveText('≈ $0.07 estimated');
  await expect(form.getByRole('list', { name: 'Budget' })).toContainText(
    /Over budget: This run is estimated at \$0\.07; \$[\d.]+ of the \$0\.05 monthly budget/,
  );

  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'This run is estimated' })).toHaveText(
    /^This run is estimated at \$0\.07; \$\d+\.\d\d of the \$0\.05 monthly budget is spent or committed\.$/,
  );
  await expect(page.getByRole('article', { name: /^Run \d+/ })).toHaveCount(0);

  for (const name of PAID) {
    const log = (await (await fetch(`${fakeUrl(name)}/__requests`)).json()) as unknown[];
    expect(log, `${name} received a request`).toEqual([]);
  }
});

test('within the budget the estimate shows beside Generate and the run goes ahead', async ({ page }) => {
  await setBudget(page, '1000');
  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles([await productImage('budget-2.png', '#1864ab')]);
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(1);
  await page.getByLabel('Instruction').fill('grey scale');
  await page
    .getByRole('group', { name: 'Targets' })
    .getByRole('checkbox', { name: /^Wan 2\.7 image edit \(WaveSpeed\)/ })
    .check();
  await page.getByLabel('Variations per target').selectOption('2');
  const form = page.getByRole('form', { name: 'New run' });
  await expect(form.getByRole('status', { name: 'Cost estimate' })).toHaveText('≈ $0.06 estimated');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('article', { name: 'Run 1' })).toBeVisible();
  await expect
    .poll(async () => ((await (await fetch(`${fakeUrl('wavespeed')}/__requests`)).json()) as unknown[]).length)
    .toBeGreaterThan(0);
});

test('retrying a failed variation over the budget is refused with its numbers and nothing is sent', async ({ page }) => {
  await newSession(page);
  const session = page.url();
  await page.getByLabel('Reference images').setInputFiles([await productImage('budget-3.png', '#e8590c')]);
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(1);
  await page.getByLabel('Instruction').fill('grey scale');
  await page
    .getByRole('group', { name: 'Targets' })
    .getByRole('checkbox', { name: /^Wan 2\.7 image edit \(WaveSpeed\)/ })
    .check();
  await page.getByLabel('Variations per target').selectOption('1');
  // The account is out of credit: the variation fails (not billed) and offers Retry.
  await setFakeMode('wavespeed', 'insufficient_funds');
  await page.getByRole('button', { name: 'Generate' }).click();
  const wavespeed = page.getByRole('article', { name: 'Run 1' }).getByRole('region', { name: 'Wan 2.7 image edit (WaveSpeed)' });
  await expect(wavespeed.getByRole('alert')).toContainText('Out of credit', { timeout: 30_000 });

  // Topped up, but the budget is now below what a retry would cost ($0.03).
  await resetFake('wavespeed');
  await setBudget(page, '0.01');
  await page.goto(session);
  await wavespeed.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'This run is estimated' })).toHaveText(
    /^This run is estimated at \$0\.03; \$\d+\.\d\d of the \$0\.01 monthly budget is spent or committed\.$/,
  );
  // Still failed, still offering Retry; the vendor heard nothing.
  await expect(wavespeed.getByRole('button', { name: 'Retry' })).toBeVisible();
  const log = (await (await fetch(`${fakeUrl('wavespeed')}/__requests`)).json()) as unknown[];
  expect(log).toEqual([]);
});
