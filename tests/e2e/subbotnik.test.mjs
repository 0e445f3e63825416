// The first slice, end to end: a volunteer logs a subbotnik on a phone with no network, reloads,
// reconnects, and a second device sees it. Also: installability, the offline shell, the update
// prompt, and accessibility of every screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
  ADMIN,
  OWNER_FIELD,
  chromiumOnly,
  logSubbotnik,
  devicePerFile,
  goOffline,
  openDevice,
  screenshot,
  serverActivities,
  seriousA11yViolations,
  serverPerFile,
  signIn,
  waitForServiceWorker,
} from './support.mjs';

const server = serverPerFile();
const phone = devicePerFile('phone');

async function assertAccessible(page, screen) {
  assert.deepEqual(await seriousA11yViolations(page), [], `axe on ${screen}`);
}

test('a subbotnik logged offline survives a reload, syncs when online and reaches a second device', { timeout: 180_000 }, async () => {
  const { page, context } = phone;
  // A device nobody has signed in on opens at the sign-in screen.
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Вход' }).waitFor();
  await page.getByLabel('Телефон или e-mail').fill(ADMIN.login);
  await screenshot(page, '00-sign-in');
  await assertAccessible(page, 'the sign-in screen');
  await signIn(page, server.url);
  await waitForServiceWorker(page);
  await page.getByText('Все записи отправлены').waitFor();
  await page.getByText('Записей пока нет.').waitFor();
  await screenshot(page, '01-records-empty');
  await assertAccessible(page, 'the empty list');

  await goOffline(phone);
  await page.getByRole('link', { name: 'Записать субботник' }).click();
  await page.getByRole('heading', { name: 'Новый субботник' }).waitFor();
  await screenshot(page, '02-form-empty');
  await assertAccessible(page, 'the form');

  // Bad input: field errors in Russian next to their fields, nothing saved.
  await page.getByLabel('Участники').fill('двадцать');
  await page.getByLabel('Мешки с мусором').fill('-3');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByText('Исправьте отмеченные поля.').waitFor();
  const errorOf = (id) => page.locator(`#${id}-error`);
  assert.equal(await errorOf('owner').textContent(), 'Заполните это поле');
  assert.equal(await errorOf('site_address').textContent(), 'Заполните это поле');
  assert.equal(await errorOf('participants').textContent(), 'Введите целое число');
  assert.equal(await errorOf('bags').textContent(), 'Число не может быть отрицательным');
  assert.equal(await page.getByLabel(OWNER_FIELD).evaluate((e) => e === document.activeElement), true, 'focus on the first error');
  await screenshot(page, '03-form-errors');
  await assertAccessible(page, 'the form with errors');

  await page.getByRole('link', { name: 'Отмена' }).click();
  await logSubbotnik(page, { committee: 'Рудник', address: 'ул. Стахановская, 27', participants: 25, bags: '1 200' });

  const card = page.locator('.card');
  await page.getByText('Сохранено на устройстве.').waitFor();
  await card.getByText('не отправлено').waitFor();
  await page.getByText('Не отправлено изменений: 1').waitFor();
  assert.match(await card.textContent(), /Рудник.*ул\. Стахановская, 27.*Участники: 25.*Мешки с мусором: 1\u202F200/);
  await screenshot(page, '04-records-unsynced');
  await assertAccessible(page, 'the list with an unsynced record');

  // Reload with no network: the service worker serves the app, IndexedDB the record.
  await page.reload();
  await card.getByText('не отправлено').waitFor();
  await page.getByText('Нет сети', { exact: true }).waitFor();
  assert.equal(await card.count(), 1);
  // A deep link opens offline too.
  await page.goto(`${server.url}/new/cleanup_day`);
  await page.getByRole('heading', { name: 'Новый субботник' }).waitFor();
  // The last committee is offered once the form has read it from the device.
  await page.getByLabel(OWNER_FIELD).locator('option:checked', { hasText: 'Рудник' }).waitFor({ state: 'attached' });
  await page.getByRole('link', { name: 'Отмена' }).click();

  // Back online: the record is sent and marked. Firefox does not tell a page loaded offline that
  // it is online again; the app's half-minute pass sends it then.
  await context.setOffline(false);
  await card.getByText('отправлено', { exact: true }).waitFor({ timeout: 45_000 });
  await page.getByText('Все записи отправлены').waitFor();
  await screenshot(page, '05-records-synced');
  const stored = await serverActivities(server);
  assert.equal(stored.length, 1, 'stored once');
  assert.equal(stored[0]['measures.participants'], 25);
  assert.equal(stored[0]['measures.bags'], 1200);
  assert.equal(stored[0]['measures.area_m2'], null);
  assert.deepEqual(stored[0].owner, { committee: 2 }, 'kept by «Рудник»');
  assert.equal(stored[0].site_address, 'ул. Стахановская, 27');

  // A second device (another browser profile) fetches it.
  const tablet = await openDevice('second-device');
  try {
    await signIn(tablet.page, server.url);
    const other = tablet.page.locator('.card');
    await other.getByText('отправлено', { exact: true }).waitFor();
    assert.match(await other.textContent(), /Рудник.*Участники: 25/);
    await screenshot(tablet.page, '06-second-device');
  } finally {
    await tablet.close();
  }
});

test('the app is installable and controlled by its service worker', { timeout: 60_000, ...chromiumOnly('the installability check') }, async () => {
  const { page, context } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, []);
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller.scriptURL), `${server.url}/sw.js`);
});

test('a new deploy is offered and taken only on consent', { timeout: 60_000 }, async () => {
  const { page } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  const before = await page.evaluate(() => fetch('/sw.js').then((r) => r.text()));
  // A new build: any change to the stamped worker makes the browser install it. The build
  // writes the worker's compressed copies with it, which the server sends first.
  const worker = join(server.staticDir, 'sw.js');
  appendFileSync(worker, '\n// next build\n');
  writeFileSync(`${worker}.br`, brotliCompressSync(readFileSync(worker)));
  writeFileSync(`${worker}.gz`, gzipSync(readFileSync(worker)));
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const banner = page.getByRole('alert').filter({ hasText: 'Доступна новая версия приложения.' });
  await banner.waitFor();
  await screenshot(page, '07-update-ready');
  await assertAccessible(page, 'the update banner');
  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Обновить' }).click()]);
  await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
  await waitForServiceWorker(page);
  assert.equal(await banner.count(), 0, 'no banner after the switch');
  const waiting = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.waiting !== null));
  assert.equal(waiting, false, 'the new worker took over');
  assert.notEqual(await page.evaluate(() => fetch('/sw.js').then((r) => r.text())), before);
});
