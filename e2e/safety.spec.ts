import { expect, type Page, test } from '@playwright/test';
import { fakeUrl, resetFake, setFakeMode } from './fakes/registry';
import { productImage } from './support/images';
import { generate, newSession } from './support/studio';

const PAID = ['wavespeed', 'fal', 'openai'];

function safety(page: Page) {
  return page.getByRole('region', { name: 'Safety' });
}

async function addRule(page: Page, kind: 'Word or phrase' | 'Pattern (regex)', value: string) {
  const section = safety(page);
  await section.getByLabel('Rule type').selectOption({ label: kind });
  await section.getByLabel(kind === 'Word or phrase' ? 'Blocked word' : 'Blocked pattern').fill(value);
  await section.getByRole('button', { name: 'Add to blocklist' }).click();
}

test.beforeEach(async () => {
  await Promise.all(PAID.map(resetFake));
});

test.afterEach(async ({ page }) => {
  // The data folder is shared by every spec: leave no rule behind.
  await page.goto('/settings');
  const rules = safety(page).getByRole('list', { name: 'Blocklist rules' });
  for (const remove of await rules.getByRole('button', { name: /^Remove/ }).all()) await remove.click();
  await expect(safety(page).getByText('No rules yet')).toBeVisible();
});

test('a prompt with a blocklisted word is refused before any provider receives a request, and the refusal is listed', async ({ page }) => {
  await page.goto('/settings');
  await expect(safety(page).getByRole('region', { name: 'Moderation' })).toContainText('Off');

  // A pattern with nested repetition is refused at once, with the reason.
  await addRule(page, 'Pattern (regex)', '(a+)+');
  await expect(safety(page).getByRole('alert')).toContainText('A repeated group may not contain another quantifier');

  await addRule(page, 'Word or phrase', 'Brand-X');
  const rules = safety(page).getByRole('list', { name: 'Blocklist rules' });
  await expect(rules.getByRole('listitem')).toHaveCount(1);
  await expect(rules).toContainText('Brand-X');
  // The same word spelled another way is the same rule.
  await addRule(page, 'Word or phrase', 'brand x');
  await expect(safety(page).getByRole('alert')).toHaveText('“Brand-X” is already on the blocklist.');

  await newSession(page);
  await page.getByLabel('Reference images').setInputFiles([await productImage('safety-1.png', '#5f3dc4')]);
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(1);
  await page.getByLabel('Instruction').fill('Put the BRAND X logo on the mug');
  const picker = page.getByRole('group', { name: 'Targets' });
  await picker.getByRole('checkbox', { name: /^Wan 2\.7 image edit \(WaveSpeed\)/ }).check();
  await picker.getByRole('checkbox', { name: /^FLUX\.1 Kontext \[pro\] \(fal\)/ }).check();
  await picker.getByRole('checkbox', { name: /^GPT Image 1 \(OpenAI\)/ }).check();
  await page.getByRole('button', { name: 'Generate' }).click();

  const form = page.getByRole('form', { name: 'New run' });
  await expect(form.getByRole('alert').filter({ hasText: 'Refused before sending' })).toContainText(
    'Refused before sending: The instruction contains the blocked term “Brand-X”. Nothing was sent or billed.',
  );
  await expect(page.getByRole('article', { name: /^Run \d+/ })).toHaveCount(0);
  for (const name of PAID) {
    const log = (await (await fetch(`${fakeUrl(name)}/__requests`)).json()) as unknown[];
    expect(log, `${name} received a request`).toEqual([]);
  }

  // A clean instruction goes ahead as usual.
  await page.getByLabel('Instruction').fill('Put a plain logo on the mug');
  await picker.getByRole('checkbox', { name: /^FLUX\.1 Kontext \[pro\] \(fal\)/ }).uncheck();
  await picker.getByRole('checkbox', { name: /^GPT Image 1 \(OpenAI\)/ }).uncheck();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('article', { name: 'Run 1' })).toBeVisible();

  await page.goto('/settings');
  const event = safety(page).getByRole('list', { name: 'Recent refusals' }).getByRole('listitem').first();
  await expect(event).toContainText('Blocklist');
  await expect(event).toContainText('The instruction contains the blocked term “Brand-X”.');
  await expect(event).toContainText('Put the BRAND X logo on the mug');
  await expect(event).toContainText('Wan 2.7 image edit (WaveSpeed)');
});

test('a provider-side block is shown on the variation as prompt-blocked with the vendor’s request id', async ({ page }) => {
  await newSession(page);
  await setFakeMode('fal', 'content_policy');
  await generate(page, 'Put the product in a boxing ring', 1, 'safety-2.png', '#c92a2a', [/^FLUX\.1 Kontext \[pro\] \(fal\)/]);

  const fal = page.getByRole('article', { name: 'Run 1' }).getByRole('region', { name: 'FLUX.1 Kontext [pro] (fal)' });
  const alert = fal.getByRole('alert');
  await expect(alert).toContainText('The prompt or references were blocked.', { timeout: 30_000 });
  await expect(alert).toContainText(/Prompt blocked · request [0-9a-f-]{36}/);
});
