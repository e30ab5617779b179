import { expect, test } from '@playwright/test';
import { generate, newSession, variations } from './support/studio';

test('rename, notes, star, rate, note, delete with undo, restore from the trash; a reload keeps it all', async ({ page }) => {
  await newSession(page);
  await generate(page, 'make it black and white', 2, 'edits.png');
  await expect(variations(page)).toHaveCount(2);

  await page.getByRole('button', { name: 'Rename session' }).click();
  await page.getByLabel('Session name').fill('Bottle shots');
  await page.getByLabel('Session name').press('Enter');
  await expect(page.getByRole('heading', { name: 'Bottle shots' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Sessions' }).getByRole('link', { name: /^Bottle shots/ })).toBeVisible();

  await page.getByText('Session notes').click();
  await page.getByLabel('Session notes').fill('client prefers warm tones');
  await page.getByLabel('Instruction').click(); // blur saves

  const star = page.getByRole('button', { name: /^Star Variation 1 ·/ });
  await star.click();
  await expect(star).toHaveAttribute('aria-pressed', 'true');
  await page
    .getByRole('radiogroup', { name: /^Rate Variation 1 ·/ })
    .getByRole('radio', { name: '4 stars' })
    .click();
  await page.getByRole('button', { name: 'Note on run 1' }).click();
  await page.getByRole('textbox', { name: 'Note on run 1' }).fill('keep this one');
  await page.getByLabel('Instruction').click();

  // Delete and undo.
  await page.getByRole('button', { name: /^Delete Variation 2 ·/ }).click();
  await expect(variations(page)).toHaveCount(1);
  await page.getByRole('list', { name: 'Notifications' }).getByRole('button', { name: 'Undo' }).click();
  await expect(variations(page)).toHaveCount(2);

  // Delete again, then restore from the trash.
  await page.getByRole('button', { name: /^Delete Variation 2 ·/ }).click();
  await expect(variations(page)).toHaveCount(1);
  const sessionUrl = page.url();
  await page.goto('/trash');
  await page
    .getByRole('button', { name: /^Restore variation Variation 2 .* make it black and white$/ })
    .first()
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'Variation restored.' })).toBeVisible();
  await page.goto(sessionUrl);
  await expect(variations(page)).toHaveCount(2);

  // Everything was saved on the server.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Bottle shots' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Star Variation 1 ·/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('radiogroup', { name: /^Rate Variation 1 ·/ }).getByRole('radio', { name: '4 stars' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(page.getByRole('textbox', { name: 'Note on run 1' })).toHaveValue('keep this one');
  await expect(page.getByLabel('Session notes')).toHaveValue('client prefers warm tones');

  // Search finds the session by its notes.
  await page.getByLabel('Search sessions').fill('warm tones');
  const list = page.getByRole('navigation', { name: 'Sessions' }).getByRole('link', { name: /run/ });
  await expect(list).toHaveCount(1);
  await expect(list).toContainText('Bottle shots');
});

test('re-run exactly and tweak link the new runs to the old', async ({ page }) => {
  await newSession(page);
  await generate(page, 'make it cooler', 1, 'again.png');
  await expect(variations(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Re-run run 1 exactly' }).click();
  await expect(page.getByRole('article', { name: 'Run 2' })).toContainText('re-run of an earlier run');
  await page.getByRole('button', { name: 'Tweak run 1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tweaking run 1' })).toBeVisible();
  await expect(page.getByLabel('Instruction')).toHaveValue('make it cooler');
  await page.getByLabel('Instruction').fill('make it warmer');
  await page.getByRole('button', { name: 'Generate' }).click();
  const run3 = page.getByRole('article', { name: 'Run 3' });
  await expect(run3).toContainText('tweak of an earlier run');
  await expect(run3).toContainText('make it warmer');
  await expect(variations(page)).toHaveCount(3);
});

test('fork from a variation in the lineage, and follow the path back to the originals', async ({ page }) => {
  await newSession(page);
  await generate(page, 'make it sepia', 1, 'fork.png', '#1971c2');
  await expect(variations(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Remove image 1' }).click();

  await page.getByRole('navigation', { name: 'Session views' }).getByRole('link', { name: 'Lineage' }).click();
  await page.getByRole('button', { name: 'Fork from Variation 1 of run 1' }).click();
  await expect(page.getByText('Next run continues from a variation.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'References', exact: true }).getByRole('img')).toHaveCount(1);
  await page.getByLabel('Instruction').fill('rotate 90 degrees');
  await page.getByLabel('Variations per target').selectOption('1');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('article', { name: 'Run 2' })).toContainText('from a variation');
  await expect(variations(page)).toHaveCount(2);

  await page.getByRole('navigation', { name: 'Session views' }).getByRole('link', { name: 'Lineage' }).click();
  await expect(page.getByText('forked from variation 1')).toBeVisible();
  await page.getByRole('link', { name: 'Open provenance of Variation 1 of run 2' }).click();
  const path = page.getByRole('list', { name: 'Path to originals' });
  await expect(path.getByRole('article')).toHaveCount(2);
  await expect(page.getByRole('list', { name: 'Path to originals' })).toContainText('make it sepia');
  await expect(page.getByLabel('Parameters and timings')).toContainText('Seed');
});

test('compare A/B in every mode from the keyboard, across runs', async ({ page }) => {
  await newSession(page);
  await generate(page, 'replace the background with navy', 3, 'cmp.png', '#2f9e44');
  await expect(variations(page)).toHaveCount(3);
  await page.getByRole('button', { name: /^Compare Variation 1 ·/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare' });
  await expect(dialog.getByRole('radio', { name: 'Side by side' })).toHaveAttribute('aria-checked', 'true');
  const b = dialog.getByLabel('Compare B');
  const first = await b.inputValue();
  await page.keyboard.press('m');
  await expect(dialog.getByRole('radio', { name: 'Slider' })).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByLabel('Slider position')).toBeVisible();
  await page.keyboard.press('m');
  await expect(dialog.getByRole('radio', { name: 'Fade' })).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByLabel('Fade amount')).toBeVisible();
  await page.keyboard.press('m');
  await expect(dialog.getByRole('radio', { name: 'Difference' })).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByRole('img', { name: 'Difference of A and B' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(b).not.toHaveValue(first);
  await page.keyboard.press('ArrowLeft');
  await expect(b).toHaveValue(first);

  // Cull B without leaving the workspace: rate, star, reject, undo.
  const state = dialog.getByRole('status', { name: 'B is' });
  await page.keyboard.press('4');
  await expect(state).toContainText('rated 4 of 5');
  await page.keyboard.press('s');
  await expect(state).toContainText('★ starred');
  await page.keyboard.press('x');
  await expect(b).not.toHaveValue(first);
  await expect(b.locator('option')).toHaveCount(2);
  await page.keyboard.press('z');
  await expect(b.locator('option')).toHaveCount(3);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(variations(page)).toHaveCount(3);
  await expect(page.getByRole('radiogroup', { name: /^Rate Variation 1 ·/ }).getByRole('radio', { name: '4 stars' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
});

test('cull in the grid with the keyboard: rate, star, reject, undo', async ({ page }) => {
  await newSession(page);
  await generate(page, 'make it darker', 3, 'cull.png', '#862e9c');
  await expect(variations(page)).toHaveCount(3);
  await page.getByRole('navigation', { name: 'Session views' }).getByRole('link', { name: 'Grid' }).click();
  const grid = page.getByRole('grid', { name: 'Variations' });
  const cells = grid.getByRole('gridcell');
  await expect(cells).toHaveCount(3);
  const first = cells.first();
  await first.click();
  await page.keyboard.press('3');
  await expect(first).toHaveAccessibleName(/rated 3 of 5/);
  await page.keyboard.press('s');
  await expect(first).toHaveAccessibleName(/starred, rated 3 of 5/);
  await page.keyboard.press('x');
  await expect(cells).toHaveCount(2);
  await page.keyboard.press('z');
  await expect(cells).toHaveCount(3);
  await expect(grid.getByRole('gridcell', { name: /starred, rated 3 of 5/ })).toHaveCount(1);

  // Shift-click selects a range; the bulk bar stars them all.
  await cells.nth(0).click();
  await cells.nth(2).click({ modifiers: ['Shift'] });
  await expect(page.getByText('3 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Star selected' }).click();
  await expect(grid.getByRole('gridcell', { name: /starred/ })).toHaveCount(3);

  // The edits were saved: the run feed shows them after a reload.
  await page.getByRole('navigation', { name: 'Session views' }).getByRole('link', { name: 'Runs' }).click();
  await expect(page).toHaveURL(/\/s\/[^/]+$/);
  await page.reload();
  await expect(page.getByRole('button', { name: /^Star Variation \d ·/, pressed: true })).toHaveCount(3);
});

test('the compare tray gathers images from different runs and labels them by what differs', async ({ page }) => {
  // The tray is shared: start from an empty one.
  await page.goto('/compare');
  const clear = page.getByRole('button', { name: 'Clear tray' });
  if (await clear.isVisible()) await clear.click();
  await newSession(page);
  await generate(page, 'replace the background with teal', 1, 'tray-a.png', '#e67700');
  await expect(variations(page)).toHaveCount(1);
  await page.getByLabel('Instruction').fill('replace the background with navy');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(variations(page)).toHaveCount(2);
  for (const run of ['Run 1', 'Run 2']) {
    const tile = page.getByRole('article', { name: run }).getByRole('img', { name: /^Variation 1/ });
    await tile.hover();
    await page
      .getByRole('article', { name: run })
      .getByRole('button', { name: /^Add Variation 1 .* to compare tray$/ })
      .click();
  }
  await page
    .getByRole('navigation', { name: 'Sessions' })
    .getByRole('link', { name: /^Compare tray/ })
    .click();
  await expect(page.getByRole('heading', { name: /^Differs by: .*instruction/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /seed/ })).toBeVisible();
  const items = page.getByRole('img', { name: /^Run \d · Variation 1/ });
  await expect(items).toHaveCount(2);
  await expect(page.getByRole('list', { name: 'Differing facts' }).first()).toContainText(/teal|navy/);
  await page.getByRole('checkbox', { name: /^Pick Run 1/ }).check();
  await page.getByRole('checkbox', { name: /^Pick Run 2/ }).check();
  await page.getByRole('button', { name: 'Open A/B' }).click();
  await expect(page.getByRole('dialog', { name: 'Compare' }).getByRole('img', { name: /^A: Run 1/ })).toBeVisible();
});

test('an edit the server refuses is rolled back with a message', async ({ page, context }) => {
  // This tab must stay stale for the refusal: no pushed changes (e2e/push.spec.ts covers those).
  await page.route('**/api/sessions/*/events', (route) => route.abort());
  await newSession(page);
  await generate(page, 'make it brighter', 1, 'rollback.png', '#5c940d');
  await expect(variations(page)).toHaveCount(1);
  // Another tab deletes the variation; this tab still shows it and tries to star it.
  const other = await context.newPage();
  await other.goto(page.url());
  await other.getByRole('button', { name: /^Delete Variation 1 ·/ }).click();
  await expect(other.getByRole('img', { name: /^Variation/ })).toHaveCount(0);
  await other.close();

  const star = page.getByRole('button', { name: /^Star Variation 1 ·/ });
  await star.click();
  await expect(page.getByRole('list', { name: 'Notifications' }).getByRole('alert')).toContainText(
    'Not saved: That item no longer exists.',
  );
  await expect(star).toHaveAttribute('aria-pressed', 'false');
});
