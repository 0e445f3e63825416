// Every kind of work the city's report counts can be logged on a phone with no network, from
// forms generated from the kinds' declarations, and reaches the server once back online.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openDevice,
  screenshot,
  serverActivities,
  seriousA11yViolations,
  serverPerFile,
  signIn,
  waitForServiceWorker,
} from './support.mjs';

const server = serverPerFile();

/** Fills the open form the way a person would: the first committee or centre offered, the
 * first variant, a place, 3 of every count, and saves it. */
async function fillAndSave(page) {
  for (const id of ['owner', 'variant']) {
    const select = page.locator(`select#${id}`);
    if ((await select.count()) === 0 || (await select.inputValue()) !== '') continue;
    const first = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(first);
  }
  await page.locator('#site_address').fill('ул. Весенняя, 3');
  for (const input of await page.locator('input[inputmode=numeric]').all()) await input.fill('3');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByText('Сохранено на устройстве.').waitFor();
}

test('each kind of the report is logged offline and synced once', { timeout: 180_000 }, async () => {
  const phone = await openDevice('kinds-phone');
  try {
    const { page, context } = phone;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await page.getByText('Синхронизировано:').waitFor();
    await context.setOffline(true);

    await page.getByRole('link', { name: 'Другая запись' }).click();
    await page.getByRole('heading', { name: 'Что записать?' }).waitFor();
    const kinds = await page.locator('.kinds a').allTextContents();
    assert.equal(kinds.length, 11, 'an admin may log every kind');
    await screenshot(page, '30-choose-kind');
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the kind chooser');

    for (const [i, kind] of kinds.entries()) {
      if (i > 0) {
        await page.getByRole('link', { name: 'Другая запись' }).click();
      }
      await page.locator('.kinds a').nth(i).click();
      await page.locator('form').waitFor();
      if (kind === 'Акция по благоустройству') {
        await screenshot(page, '31-form-beautification');
        assert.deepEqual(await seriousA11yViolations(page), [], 'axe on a form with a variant');
      }
      if (kind === 'Культурно-массовое мероприятие') await page.getByLabel('Мероприятие молодёжного движения').check();
      await fillAndSave(page);
    }
    await page.getByText('Не отправлено изменений: 11').waitFor();
    await screenshot(page, '32-every-kind-unsynced');

    await context.setOffline(false);
    await page.getByText('Все записи отправлены').waitFor();
    const stored = await serverActivities(server);
    assert.equal(stored.length, 11, 'each once');
    const byKind = new Map(stored.map((r) => [r.kind, r]));
    assert.equal(byKind.size, 11, 'every kind');
    assert.equal(byKind.get('beautification_action').variant, 'garden_of_memory');
    assert.equal(byKind.get('cultural_event').youth, true);
    assert.deepEqual(byKind.get('consultation').owner, { centre: 1 }, 'centres keep consultations');
    assert.equal(byKind.get('winter_contest_work')['measures.snow_figures'], 3);
  } finally {
    await phone.close();
  }
});
