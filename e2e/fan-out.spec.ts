import { expect, test } from '@playwright/test';
import { resetFake, setFakeMode } from './fakes/registry';
import { productImage } from './support/images';
import { newSession, variations } from './support/studio';

test.afterEach(async () => {
  await Promise.all(['wavespeed', 'fal', 'openai', 'kie'].map(resetFake));
});

test('one instruction fans out to three providers and the engine; a failing one does not hold the others back', async ({ page }) => {
  await newSession(page);
  await page
    .getByLabel('Reference images')
    .setInputFiles([await productImage('fan-1.png', '#e8590c'), await productImage('fan-2.png', '#0b7285')]);
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(2);
  await page.getByLabel('Instruction').fill('Remove the background and replace it with white studio');

  const picker = page.getByRole('group', { name: 'Targets' });
  for (const name of [
    /^Wan 2\.7 image edit \(WaveSpeed\)/,
    /^FLUX\.1 Kontext \[pro\] \(fal\)/,
    /^GPT Image 1 \(OpenAI\)/,
    /^Wan 2\.7 image edit \(Kie\.ai\)/,
  ]) {
    await picker.getByRole('checkbox', { name }).check();
  }
  await page.getByLabel('Variations per target').selectOption('2');
  await expect(page.getByText(/^10 images · 2 refs/)).toBeVisible();

  // Kie's account is out of credit: its variations fail, the others must not wait for it.
  await setFakeMode('kie', 'insufficient_funds');
  await page.getByRole('button', { name: 'Generate' }).click();

  const run = page.getByRole('article', { name: 'Run 1' });
  for (const [group, count] of [
    ['Offline engine (non-generative)', 2],
    ['Wan 2.7 image edit (WaveSpeed)', 2],
    ['FLUX.1 Kontext [pro] (fal)', 2],
    ['GPT Image 1 (OpenAI)', 2],
  ] as const) {
    await expect(run.getByRole('region', { name: group }).getByRole('img', { name: /^Variation/ })).toHaveCount(count, { timeout: 30_000 });
  }
  const kie = run.getByRole('region', { name: 'Wan 2.7 image edit (Kie.ai)' });
  await expect(kie.getByRole('alert')).toHaveCount(2);
  await expect(kie.getByRole('alert').first()).toContainText('Out of credit');
  await expect(kie.getByRole('alert').first()).toContainText('top it up');
  await expect(variations(page)).toHaveCount(8);

  // What was adapted for which target is said: Kontext takes one image, so the two were stitched.
  await expect(run.getByRole('region', { name: 'FLUX.1 Kontext [pro] (fal)' })).toContainText('stitched side by side');
  // Each variation is labelled with provider, model and seed; cost shows where known.
  await expect(run.getByRole('img', { name: /^Variation 1 · Wan 2\.7 image edit \(WaveSpeed\) · seed \d+$/ })).toBeVisible();
  await expect(run.getByRole('region', { name: 'Wan 2.7 image edit (WaveSpeed)' })).toContainText('$0.030');

  // Retry after the account is topped up: the failed target now succeeds.
  await resetFake('kie');
  await kie.getByRole('button', { name: 'Retry' }).first().click();
  await expect(kie.getByRole('img', { name: /^Variation/ })).toHaveCount(1, { timeout: 30_000 });
});
