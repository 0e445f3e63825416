// The city's server is restored from a backup older than some of a volunteer's work: the
// volunteer's phone notices, sends that work again with its photo, and the server ends with
// every record once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OWNER_FIELD, api, editActivity, openDevice, photos, screenshot, serverPerFile, serverRecords, settle, signIn } from './support.mjs';

const server = serverPerFile();

/** Logs a subbotnik at `address` from the records screen, with `files` as its photos. */
async function logWithPhotos(page, address, files) {
  await page.getByRole('link', { name: 'Записать субботник' }).click();
  await page.getByRole('heading', { name: 'Новый субботник' }).waitFor();
  await page.getByLabel(OWNER_FIELD).selectOption({ label: 'Забойщик' });
  await page.getByLabel('Адрес участка').fill(address);
  await page.getByLabel('Участники').fill('12');
  await page.getByLabel('Мешки с мусором').fill('20');
  if (files.length > 0) {
    await page.getByRole('radio', { name: 'после работ' }).check();
    await page.locator('[data-testid=choose-photos]').setInputFiles(files);
    await page.waitForFunction((n) => document.querySelectorAll('.thumbs li img').length === n, files.length);
  }
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
}

/** The activities in `records` as address → bags, sorted by address. */
const bagsAt = (records) =>
  Object.fromEntries(
    records
      .filter((r) => r.kind === 'activity')
      .map((r) => [r.fields.site_address.value, r.fields['measures.bags'].value])
      .sort(),
  );

test('a device ahead of a restored server sends its work again, once', { timeout: 240_000 }, async () => {
  const device = await openDevice('restored-server');
  try {
    const { page } = device;
    await signIn(page, server.url);
    await logWithPhotos(page, 'ул. Весенняя, 3', []);
    const [first] = await settle([page], server);

    const copy = join(server.staticDir, '..', 'copy');
    const took = await server.command('backup', '--to', copy);
    assert.match(took, /copied the city as of/);

    // Work the copy does not hold: a subbotnik with a photo, and an edit of the first one.
    const [photo] = await photos(page, 1, 23);
    await logWithPhotos(page, 'ул. Красная, 7', [photo]);
    await editActivity(page, first.id, { 'Мешки с мусором': 25 });
    const before = await settle([page], server);
    assert.deepEqual(bagsAt(before), { 'ул. Весенняя, 3': 25, 'ул. Красная, 7': 20 });
    const ref = Object.entries(before.find((r) => r.fields.site_address?.value === 'ул. Красная, 7').fields)
      .filter(([name, field]) => name.startsWith('photos.') && field.value)
      .map(([, field]) => field.value)[0];
    assert.ok(ref, 'the subbotnik has its photo');

    // The disk fails; the admin restores yesterday's copy on the same address.
    const said = await server.restoreFrom(copy);
    assert.match(said, /restored/);
    const restored = await serverRecords(server);
    assert.deepEqual(bagsAt(restored), { 'ул. Весенняя, 3': 20 }, 'the copy lacks the later work');
    const token = await server.token();
    const blob = (hash) => fetch(`${server.url}/api/v1/blobs/${hash}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await blob(ref.hash)).status, 404, 'and its photo');

    // The phone syncs with the restored server and brings the work back, each record once.
    const after = await settle([page], server);
    assert.deepEqual(after, before, 'the server holds what it held before the restore, once');
    await page.getByText('Все записи отправлены').waitFor({ timeout: 60_000 });
    for (const hash of [ref.hash, ref.thumb]) {
      await assert.doesNotReject(async () => {
        for (let tries = 0; (await blob(hash)).status !== 200; tries++) {
          if (tries > 100) throw new Error(`photo ${hash} did not come back`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      });
    }
    // The report counts each subbotnik once.
    const year = new Date().getFullYear();
    const report = await api(server.url, `/report?from=${year - 1}-01-01&to=${year + 1}-12-31`, { token });
    const total = (of) => report.rows.reduce((sum, row) => sum + of(row), 0);
    assert.equal(total((row) => row.records), 2);
    assert.equal(total((row) => row.sums.bags ?? 0), 45);
    await screenshot(page, '90-after-server-restore');
  } finally {
    await device.close();
  }
});
