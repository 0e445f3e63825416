// Taps a person spends on the everyday tasks, counted as the page receives them (support.mjs
// `countTaps`): a repeat subbotnik from opening the app, a new one with a site made on the spot
// by GPS and a photo, lending and a full return at the desk. Each must stay within its goal, and
// a tap must find its button: sync passes do not redraw cards that did not change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  countTaps,
  joinByInvite,
  openDevice,
  photos,
  screenshot,
  serverPerFile,
  signIn,
  tapAndType,
  waitForServiceWorker,
} from './support.mjs';

const server = serverPerFile();
const VOLUNTEER = { name: 'Ольга Смирнова', login: 'olga@mail.ru', password: 'двор на Весенней' };
const DESK = { name: 'Ирина Прокатова', login: 'irina@mail.ru', password: 'мячи и скакалки' };
const IN_THE_YARD = { latitude: 55.3547, longitude: 86.0872, accuracy: 12 };

/** Notes the count for the note and the benchmarks page, then checks it. */
function expectTaps(task, taps, goal) {
  const output = process.env.DVOR_TEST_OUTPUT;
  mkdirSync(output, { recursive: true });
  appendFileSync(join(output, 'taps.txt'), `${task}: ${taps} taps (goal ≤ ${goal})\n`);
  assert.ok(taps <= goal, `${task}: ${taps} taps, the goal is ≤ ${goal}`);
}

test('a volunteer logs a new subbotnik with a site made by GPS and a photo in ≤ 9 taps, and a repeat one in ≤ 4', { timeout: 180_000 }, async () => {
  await joinByInvite(server.url, { role: 'volunteer', scope: { committee: 1 } }, VOLUNTEER);
  const device = await openDevice('taps-volunteer');
  try {
    const { page, context } = device;
    await context.grantPermissions(['geolocation'], { origin: server.url });
    await context.setGeolocation(IN_THE_YARD);
    await signIn(page, server.url, VOLUNTEER);
    await waitForServiceWorker(page);
    const [picture] = await photos(page, 1, 7);

    // New: from the records screen, the floating button, a site made on the spot, a photo.
    const taps = await countTaps(page);
    await page.getByRole('link', { name: 'Записать субботник' }).click();
    await page.getByRole('link', { name: 'Новый объект' }).click();
    await tapAndType(page, page.getByLabel('Название', { exact: true }), 'Двор на Весенней, 5');
    await page.getByTestId('location').getByText(/55[.,]3547/).waitFor();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Новый субботник' }).waitFor();
    assert.equal(await page.locator('select#site option:checked').innerText(), 'Двор на Весенней, 5', 'the new site is chosen');
    await tapAndType(page, page.getByLabel('Участники'), '14');
    await tapAndType(page, page.getByLabel('Мешки с мусором'), '40');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByText('Снять фото').click()]);
    taps.outside(); // the camera's shutter
    await chooser.setFiles(picture);
    await page.locator('.thumbs li img').waitFor();
    await screenshot(page, 'taps-01-new-subbotnik-filled');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено на устройстве.').waitFor();
    expectTaps('a new subbotnik with a GPS site and a photo', await taps.count(), 9);

    // Repeat: opening the app, the floating button; the kind and the site are the last ones.
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
    await taps.reset();
    await page.getByRole('link', { name: 'Записать субботник' }).click();
    await page.getByRole('heading', { name: 'Новый субботник' }).waitFor();
    await page.locator('select#site option:checked', { hasText: 'Двор на Весенней, 5' }).waitFor({ state: 'attached' });
    await tapAndType(page, page.getByLabel('Участники'), '9');
    await tapAndType(page, page.getByLabel('Мешки с мусором'), '25');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено на устройстве.').waitFor();
    expectTaps('a repeat subbotnik from opening the app', await taps.count(), 4);
    const card = page.locator('.card', { hasText: 'Участники: 9' });
    await card.getByText('Двор на Весенней, 5').waitFor();
    await screenshot(page, 'taps-02-two-subbotniks');

    // Sync passes that change nothing on screen leave the cards' buttons where the finger is.
    await card.getByText('отправлено', { exact: true }).waitFor();
    const button = await card.getByRole('button', { name: 'Удалить' }).elementHandle();
    for (let pass = 0; pass < 3; pass++) {
      await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
      await page.getByRole('button', { name: 'Синхронизировать сейчас' }).waitFor();
    }
    assert.equal(await button.evaluate((b) => b.isConnected), true, 'the same button is on the card');
  } finally {
    await device.close();
  }
});

test('a desk lends in ≤ 5 taps from opening the app and takes a full return in ≤ 3 from its stock', { timeout: 180_000 }, async () => {
  await joinByInvite(server.url, { role: 'centre_staff', scope: { centre: 1 } }, DESK);
  const device = await openDevice('taps-desk');
  try {
    const { page } = device;
    await signIn(page, server.url, DESK);
    await page.getByRole('link', { name: 'Склад' }).click();
    await page.getByRole('link', { name: 'Добавить предметы' }).click();
    await page.getByLabel('Мяч футбольный').fill('4');
    await page.getByRole('button', { name: 'Добавить' }).click();
    await page.getByText('Добавлено предметов: 1').waitFor();

    // Opening the app: a desk lands on its stock.
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Склад и прокат', level: 1 }).waitFor();
    const taps = await countTaps(page);
    await page.getByRole('link', { name: 'Выдать', exact: true }).click();
    await tapAndType(page, page.getByLabel('Имя получателя'), 'Пётр Иванов');
    await tapAndType(page, page.getByLabel('Телефон'), '8 905 777-88-99');
    await tapAndType(page, page.getByLabel('Мяч футбольный'), '2');
    await page.getByRole('button', { name: 'Выдать' }).click();
    await page.getByText('Выдано. Запись сохранена на устройстве').waitFor();
    expectTaps('lending, from opening the app', await taps.count(), 5);

    await page.getByRole('link', { name: 'Склад' }).click();
    await taps.reset();
    await page.getByRole('link', { name: 'Выдачи' }).click();
    await page.getByRole('link', { name: /Пётр Иванов/ }).click();
    await page.getByRole('button', { name: 'Вернуть всё' }).click();
    await page.getByText('Возврат записан').waitFor();
    expectTaps('a full return', await taps.count(), 3);
    await screenshot(page, 'taps-03-returned');
  } finally {
    await device.close();
  }
});
