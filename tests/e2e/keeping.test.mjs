// Keeping a person's work on the phone they carry, in every engine: the install screen with the
// steps for this kind of device (and WebKit's seven-day warning), the one-time offer after a
// first saved record, unsent changes that have waited a day, and a device whose browser erased
// the app's data — told what happened and what the server holds, which a sign-in brings back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENGINE,
  goOffline,
  logSubbotnik,
  openDevice,
  restoreBackup,
  screenshot,
  seriousA11yViolations,
  serverActivities,
  serverPerFile,
  settle,
  signIn,
  subbotnikMutations,
  waitForServiceWorker,
  writeBackup,
} from './support.mjs';

const server = serverPerFile();


test('the install screen shows this device’s steps, and WebKit is told why the home screen matters', { timeout: 120_000 }, async () => {
  const device = await openDevice('install');
  try {
    const { page } = device;
    await signIn(page, server.url);
    await page.getByRole('link', { name: 'Ещё' }).click();
    await page.getByRole('link', { name: 'Установить приложение' }).click();
    await page.getByRole('heading', { name: 'Установить приложение' }).waitFor();
    // Every engine here runs on a Linux computer; Firefox there cannot install.
    const here = ENGINE === 'firefox' ? 'Firefox на компьютере' : 'Компьютер';
    await page.getByRole('heading', { name: `На этом устройстве: ${here}`, exact: true }).waitFor();
    const warned = await page.getByText('браузер стирает всё, что сайт хранит').count();
    assert.equal(warned, ENGINE === 'webkit' ? 1 : 0, 'the seven-day warning is WebKit’s only');
    // The other devices' steps, iPhone's among them, fold open.
    await page.getByText('На других устройствах').click();
    await page.getByText('Пролистайте меню вниз и выберите «На экран „Домой“».').waitFor();
    await screenshot(page, `70-install-${ENGINE}`);
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the install screen');
  } finally {
    await device.close();
  }
});

test('a first saved record offers installing once; a day-old unsent change asks for sync or a backup', { timeout: 180_000 }, async () => {
  const device = await openDevice('keeping');
  try {
    const { page } = device;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    assert.equal(await page.getByText('Установите Двор').count(), 0, 'nothing offered before a record');
    await goOffline(device);
    await logSubbotnik(page, { committee: 'Лидер', address: 'ул. Назарова, 8', participants: 12, bags: 30 });
    const offer = page.getByRole('region', { name: 'Установите Двор' });
    await offer.waitFor();
    await screenshot(page, `71-install-offer-${ENGINE}`);
    await offer.getByRole('button', { name: 'Не сейчас' }).click();
    await offer.waitFor({ state: 'detached' });
    await logSubbotnik(page, { committee: 'Лидер', address: 'ул. Назарова, 10', participants: 3, bags: 4 });
    await page.getByText('Не отправлено изменений: 2').waitFor();
    assert.equal(await offer.count(), 0, 'offered once');

    // Changes made long ago (restored from a file) wait unsent: sync or a backup, one tap away.
    const files = mkdtempSync(join(tmpdir(), 'dvor-keeping-'));
    const old = join(files, 'old.json');
    writeBackup(old, subbotnikMutations(1, { prefix: '0ee0' }));
    await restoreBackup(page, old);
    const atRisk = page.getByTestId('unsent-at-risk');
    await atRisk.getByText(/^Неотправленные изменения \(3\) ждут с \d{1,2} [а-я]+ \d{4}\./).waitFor();
    await atRisk.getByRole('button', { name: 'Сохранить копию' }).waitFor();
    await screenshot(page, `72-unsent-waiting-${ENGINE}`);
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the records with the notices');

    await device.context.setOffline(false);
    await settle([page], server);
    await atRisk.waitFor({ state: 'detached' });
    // The account screen says what the browser answered when asked to keep the data.
    await page.getByRole('link', { name: 'Ещё' }).click();
    const answer = await page.getByTestId('persistence').textContent();
    assert.match(answer, /^(Браузер обещал|Браузер может удалить|Браузер ещё не ответил|Этот браузер не обещает)/);
  } finally {
    await device.close();
  }
});

test('a device whose browser erased the app’s data is told what the server holds, and signing in brings it back', { timeout: 180_000 }, async () => {
  const device = await openDevice('erased');
  try {
    const { page } = device;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await logSubbotnik(page, { committee: 'Забойщик', address: 'ул. Весенняя, 20', participants: 7, bags: 9 });
    await settle([page], server);

    // What WebKit does after seven days away, or any browser short of space: everything the
    // app's scripts kept on the origin goes; the browser's cookies stay. Done from the running
    // app's own page: every address of the origin opens the app (its service worker serves the
    // shell for all), and an app still starting would not yet let go of its database when
    // asked — the deletion would wait, or go first and the starting app make a new one.
    await page.evaluate(async () => {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
      for (const key of await caches.keys()) await caches.delete(key);
      localStorage.clear();
      await new Promise((resolve, reject) => {
        const deletion = indexedDB.deleteDatabase('dvor');
        deletion.onsuccess = resolve;
        deletion.onerror = () => reject(deletion.error);
        // Blocked for a moment is normal (a connection closing); for long, a page holds it.
        deletion.onblocked = () => setTimeout(() => reject(new Error('the database is still open after 10 s')), 10_000);
      });
    });
    // The browser closes the origin's last page before it comes back (WebKit's erasing runs
    // between visits).
    await page.goto('about:blank');
    await page.goto(server.url);
    const notice = page.getByTestId('erased');
    await notice.getByText('Данные Двора на этом устройстве были удалены').waitFor();
    await notice.getByText(/На сервере есть всё, что устройство успело отправить: изменений — \d+, последний раз \d{1,2} [а-я]+ \d{4}, \d{2}:\d{2}\./).waitFor();
    await screenshot(page, `73-erased-${ENGINE}`);
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the sign-in screen with the notice');

    await signIn(page, server.url);
    await page.locator('.card', { hasText: 'ул. Весенняя, 20' }).getByText('отправлено', { exact: true }).waitFor();
    await page.getByText('Синхронизировано:').waitFor({ state: 'attached' });
    assert.equal(await page.locator('.card').count(), (await serverActivities(server)).length, 'every record the server had is back');
    // Signed in again, the notice is gone, and a new device never sees it.
    await page.goto(`${server.url}/signin`);
    assert.equal(await page.getByTestId('erased').count(), 0);
  } finally {
    await device.close();
  }
  const stranger = await openDevice('never-signed-in');
  try {
    await stranger.page.goto(server.url);
    await stranger.page.getByRole('heading', { name: 'Вход' }).waitFor();
    await stranger.page.getByLabel('Пароль', { exact: true }).waitFor();
    assert.equal(await stranger.page.getByTestId('erased').count(), 0, 'a new device is told nothing');
  } finally {
    await stranger.close();
  }
});
