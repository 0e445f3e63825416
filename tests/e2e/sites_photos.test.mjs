// Sites and photos on a phone with no network: a site placed by GPS (a point outside the city
// only with the person's confirmation), every kind of the report logged with two photos each,
// kept through a reload, sent once the network is back, and shown on a second device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api,
  fillKindForm,
  openDevice,
  photos,
  screenshot,
  serverActivities,
  serverRecords,
  seriousA11yViolations,
  serverPerFile,
  signIn,
  valuesOf,
  waitForServiceWorker,
} from './support.mjs';

const server = serverPerFile();

/** Lenin Square, Kemerovo, as the phone's GPS reports it. */
const IN_THE_YARD = { latitude: 55.3547, longitude: 86.0872, accuracy: 12 };
/** Novosibirsk: a GPS fix gone wrong, as far as a Kemerovo committee is concerned. */
const FAR_AWAY = { latitude: 55.0084, longitude: 82.9357, accuracy: 30 };

/** Adds `files` to the open form and waits for their thumbnails. */
async function addPhotos(page, files, tag) {
  const before = await page.locator('.thumbs li').count();
  await page.getByRole('radio', { name: tag }).check();
  await page.locator('[data-testid=choose-photos]').setInputFiles(files);
  await page.waitForFunction((n) => document.querySelectorAll('.thumbs li img').length === n, before + files.length);
}

test('sites and photos are made offline, sent once online and seen on a second device', { timeout: 300_000 }, async () => {
  const phone = await openDevice('sites-phone');
  const tablet = await openDevice('sites-tablet');
  try {
    const { page, context } = phone;
    await context.grantPermissions(['geolocation'], { origin: server.url });
    await context.setGeolocation(IN_THE_YARD);
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await page.getByText('Синхронизировано:').waitFor({ state: 'attached' });
    const kindsCount = 12;
    const pictures = await photos(page, 2 * (kindsCount + 2), 1);
    await context.setOffline(true);

    // A site where the person stands.
    await page.getByRole('link', { name: 'Объекты' }).click();
    await page.getByText('Объектов пока нет.').waitFor();
    await page.getByRole('link', { name: 'Новый объект' }).click();
    await page.getByLabel('Название').fill('Двор на Весенней, 5');
    await page.getByLabel('Вид объекта').selectOption({ label: 'Двор' });
    await page.locator('select#owner').selectOption({ label: 'Забойщик' });
    await page.getByRole('button', { name: 'Я здесь' }).click();
    await page.getByText('55,35470; 86,08720 (точность ±12 м)').waitFor();
    await addPhotos(page, pictures.slice(0, 1), 'до работ');
    await addPhotos(page, pictures.slice(1, 2), 'после работ');
    await screenshot(page, '40-new-site');
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the site form');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Двор на Весенней, 5' }).waitFor();
    await page.getByText('Фото не отправлены: 2').waitFor();

    // A second site, where the GPS is wrong: kept only once the person confirms the point.
    await page.getByRole('link', { name: 'Объекты' }).click();
    await page.getByRole('link', { name: 'Новый объект' }).click();
    await page.getByLabel('Название').fill('Клумба у школы № 12');
    await page.getByLabel('Вид объекта').selectOption({ label: 'Клумба' });
    await page.locator('select#owner').selectOption({ label: 'Забойщик' });
    await page.getByLabel('Адрес').fill('ул. Тухачевского, 12');
    await context.setGeolocation(FAR_AWAY);
    await page.getByRole('button', { name: 'Я здесь' }).click();
    await page.getByText('(точность ±30 м)').waitFor();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Точка за пределами Кемерова. Проверьте её или подтвердите, что она верна').waitFor();
    await screenshot(page, '41-outside-city');
    await page.getByLabel('Точка верна, хотя она за пределами Кемерова').check();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Клумба у школы № 12' }).waitFor();

    // Every kind, logged at the first site where a committee keeps it, each with two photos.
    await page.getByRole('link', { name: 'Записи' }).click();
    await page.getByRole('link', { name: 'Другая запись' }).click();
    const kinds = await page.locator('.kinds a').allTextContents();
    assert.equal(kinds.length, kindsCount);
    for (const [i, kind] of kinds.entries()) {
      if (i > 0) {
        await page.getByRole('link', { name: 'Записи' }).click();
        await page.getByRole('link', { name: 'Другая запись' }).click();
      }
      await page.locator('.kinds a').nth(i).click();
      await page.locator('form').waitFor();
      await fillKindForm(page, { owner: 'Забойщик', site: 'Двор на Весенней, 5' });
      const [before, after] = pictures.slice(2 + 2 * i, 4 + 2 * i);
      await addPhotos(page, [before], 'до работ');
      await addPhotos(page, [after], 'после работ');
      if (i === 0) {
        await screenshot(page, '42-form-with-site-and-photos');
        assert.deepEqual(await seriousA11yViolations(page), [], `axe on the ${kind} form with photos`);
      }
      await page.getByRole('button', { name: 'Сохранить' }).click();
      await page.getByText('Сохранено на устройстве.').waitFor();
    }
    // Counted as a person counts: the first site travels with the work that names it; the
    // second, named by no work, is one thing of its own.
    await page.getByText(`Не отправлено изменений: ${kindsCount + 1}`).waitFor();

    // Nothing is lost by a reload with no network.
    await page.reload();
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('.card')].filter((card) => card.textContent.includes('Фото не отправлены: 2')).length === n,
      kindsCount,
    );
    await screenshot(page, '43-photos-waiting');

    await context.setOffline(false);
    await page.getByText('Все записи отправлены').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('.photos-state').length === 0, null, { timeout: 60_000 });

    const records = await serverRecords(server);
    const sites = records.filter((r) => r.kind === 'site').map(valuesOf);
    assert.equal(sites.length, 2, 'each site once');
    const yard = sites.find((s) => s.name === 'Двор на Весенней, 5');
    assert.deepEqual(yard.location, { lat_e6: 55354700, lon_e6: 86087200, accuracy_m: 12 });
    const far = sites.find((s) => s.name === 'Клумба у школы № 12');
    assert.equal(far.location.outside_city, true);
    const activities = await serverActivities(server);
    assert.equal(activities.length, kindsCount, 'each kind once');
    const atTheYard = activities.filter((a) => a.site === yard.id).length;
    assert.equal(atTheYard, activities.filter((a) => a.owner.committee === 1).length);
    assert.ok(atTheYard >= 7, 'every kind a committee keeps was logged at the yard');
    const refs = [...activities, ...sites].flatMap((r) =>
      Object.entries(r)
        .filter(([name, value]) => name.startsWith('photos.') && value)
        .map(([, value]) => value),
    );
    assert.equal(refs.length, 2 * (kindsCount + 1), 'two photos a record (the second site has none)');
    assert.deepEqual(new Set(refs.map((r) => r.tag)), new Set(['before', 'after']));
    const token = await server.token();
    for (const ref of refs) {
      for (const hash of [ref.hash, ref.thumb]) {
        const response = await fetch(`${server.url}/api/v1/blobs/${hash}`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.status, 200, `the server has ${hash}`);
        assert.equal(response.headers.get('content-type'), 'image/jpeg');
      }
    }

    // A second device sees the site, its history and every photo.
    await signIn(tablet.page, server.url);
    await tablet.page.getByText('Все записи отправлены').waitFor();
    await tablet.page.getByRole('link', { name: 'Объекты' }).click();
    await tablet.page.getByRole('link', { name: 'Двор на Весенней, 5' }).click();
    await tablet.page.getByText('55,35470; 86,08720 (точность ±12 м)').waitFor();
    const atYard = 2 + 2 * atTheYard;
    await tablet.page.waitForFunction((n) => document.querySelectorAll('.gallery img').length === n, atYard, { timeout: 60_000 });
    await tablet.page.waitForFunction(() => [...document.querySelectorAll('.gallery img')].every((img) => img.complete && img.naturalWidth > 0));
    await screenshot(tablet.page, '44-site-on-second-device');
    assert.deepEqual(await seriousA11yViolations(tablet.page), [], 'axe on the site page');
    await api(server.url, '/health');
  } finally {
    await phone.close();
    await tablet.close();
  }
});
