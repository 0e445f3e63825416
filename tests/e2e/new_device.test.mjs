// A fresh device pulls everything the server has, page by page, and shows how far it has come;
// the list then shows the records a screenful at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFaultProxy } from './fault_proxy.mjs';
import { deviceState, openDevice, screenshot, seedActivities, serverPerFile, signIn } from './support.mjs';

const RECORDS = 600;
const server = serverPerFile();

test('a new device pulls every record with progress shown', { timeout: 120_000 }, async () => {
  await seedActivities(server, RECORDS);
  const device = await openDevice('new-device');
  // A slow mobile network, so the pages take long enough to be seen: every sync request waits.
  const proxy = await startFaultProxy(server.url);
  proxy.set({ delayMs: 1_500 });
  try {
    const { page } = device;
    await signIn(page, proxy.url);
    const progress = page.getByText(`Получение записей: 500 из ${RECORDS}`);
    await progress.waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('progress').getAttribute('max'), String(RECORDS));
    assert.equal(await page.getByText('Записей пока нет.').count(), 0, 'no false "nothing here" while pulling');
    await screenshot(page, '14-pulling');
    await page.getByText('Синхронизировано:').waitFor({ state: 'attached', timeout: 60_000 });
    await page.getByText(`Показано 50 из ${RECORDS}`).waitFor();
    assert.equal(await page.locator('.card').count(), 50);
    assert.equal(await progress.count(), 0, 'the progress goes when the pull ends');
    const more = page.getByRole('button', { name: 'Показать ещё' });
    await more.scrollIntoViewIfNeeded();
    await screenshot(page, '16-more', { fullPage: false });
    await more.click();
    await page.getByText(`Показано 100 из ${RECORDS}`).waitFor();
    assert.equal(await page.locator('.card').count(), 100);
    const stored = (await deviceState(page)).records;
    assert.equal(stored.length, RECORDS, 'every record is on the device, shown or not');
  } finally {
    await device.close();
    await proxy.close();
  }
});
