// Every kind of work the city's report counts can be logged on a phone with no network, from
// forms generated from the kinds' declarations, and reaches the server once back online.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OWNER_FIELD,
  fillKindForm,
  openDevice,
  screenshot,
  serverActivities,
  seriousA11yViolations,
  serverPerFile,
  signIn,
  waitForServiceWorker,
} from './support.mjs';

const server = serverPerFile();

/** Fills the open form and saves it. */
async function fillAndSave(page) {
  await fillKindForm(page);
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByText('Сохранено на устройстве.').waitFor();
}

test('each kind of the report is logged offline and synced once', { timeout: 180_000 }, async () => {
  const phone = await openDevice('kinds-phone');
  try {
    const { page, context } = phone;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await page.getByText('Синхронизировано:').waitFor({ state: 'attached' });
    await context.setOffline(true);

    await page.getByRole('link', { name: 'Другая запись' }).click();
    await page.getByRole('heading', { name: 'Что записать?' }).waitFor();
    const kinds = await page.locator('.kinds a').allTextContents();
    assert.equal(kinds.length, 12, 'an admin may log every kind');
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
    await page.getByText('Не отправлено изменений: 12').waitFor();
    await screenshot(page, '32-every-kind-unsynced');

    await context.setOffline(false);
    await page.getByText('Все записи отправлены').waitFor();
    const stored = await serverActivities(server);
    assert.equal(stored.length, 12, 'each once');
    const byKind = new Map(stored.map((r) => [r.kind, r]));
    assert.equal(byKind.size, 12, 'every kind');
    assert.equal(byKind.get('club').title, 'Умелые руки');
    assert.equal(byKind.get('club_session').part_of, byKind.get('club').id, 'a meeting names its club');
    assert.equal(byKind.get('beautification_action').variant, 'garden_of_memory');
    assert.equal(byKind.get('cultural_event').youth, true);
    assert.deepEqual(byKind.get('consultation').owner, { centre: 1 }, 'centres keep consultations');
    assert.equal(byKind.get('winter_contest_work')['measures.snow_figures'], 3);

    // Search and filters narrow the list.
    const cards = page.locator('.card');
    const shows = (n) => page.waitForFunction((count) => document.querySelectorAll('.card').length === count, n);
    await page.getByLabel('Поиск').fill('сад ПАМЯТИ');
    await shows(1);
    assert.match(await cards.first().textContent(), /«Сад памяти»/);
    await screenshot(page, '34-search');
    await page.getByRole('button', { name: 'Сбросить поиск и отбор' }).click();
    await shows(12);
    await page.getByText('Отбор', { exact: true }).click();
    await page.getByLabel('Вид записи').selectOption({ label: 'Кружок, клуб' });
    await shows(1);
    await page.getByLabel('Состояние', { exact: true }).selectOption({ label: 'не отправлено' });
    await page.getByText('Ничего не найдено.').waitFor();
    await screenshot(page, '35-filters');
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the filters');
  } finally {
    await phone.close();
  }
});

test('a half-filled form survives a reload offline and goes once saved', { timeout: 120_000 }, async () => {
  const phone = await openDevice('draft-phone');
  try {
    const { page, context } = phone;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    const openSubbotnik = async () => {
      await page.getByRole('link', { name: 'Другая запись' }).click();
      await page.getByRole('link', { name: 'Субботник', exact: true }).click();
      await page.getByRole('heading', { name: 'Новый субботник' }).waitFor();
    };
    await openSubbotnik();
    await page.getByLabel('Адрес участка').fill('двор на Весенней');
    await page.getByLabel('Мешки с мусором').fill('двадцать');
    // Kept as typed, before any save: wait until the draft holds the last keystroke.
    await page.waitForFunction(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('dvor');
          open.onsuccess = () => {
            const read = open.result.transaction('drafts').objectStore('drafts').get('new:cleanup_day');
            read.onsuccess = () => {
              open.result.close();
              resolve(typeof read.result === 'string' && read.result.includes('двадцать'));
            };
          };
        }),
    );
    await page.reload();
    await page.getByText('Восстановлено то, что было введено раньше.').waitFor();
    assert.equal(await page.getByLabel('Адрес участка').inputValue(), 'двор на Весенней');
    assert.equal(await page.getByLabel('Мешки с мусором').inputValue(), 'двадцать');
    await screenshot(page, '33-draft-restored');

    await page.getByLabel(OWNER_FIELD).selectOption({ label: 'Рудник' });
    await page.getByLabel('Участники').fill('4');
    await page.getByLabel('Мешки с мусором').fill('20');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено на устройстве.').waitFor();
    await openSubbotnik();
    assert.equal(await page.getByLabel('Адрес участка').inputValue(), '', 'the saved draft is gone');
    assert.equal(await page.getByText('Восстановлено то, что было введено раньше.').count(), 0);
  } finally {
    await phone.close();
  }
});
