// A server that crashes: records saved meanwhile stay on the phone with the reason shown, and
// reach the server by themselves once it is back (retries back off, no tap needed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logSubbotnik, openDevice, screenshot, serverActivities, serverPerFile, signIn, waitForServiceWorker } from './support.mjs';

const server = serverPerFile();
let phone;

before(async () => {
  phone = await openDevice('resilience-phone');
});

after(async () => {
  await phone?.close();
});

test('records saved while the server is down are sent when it comes back, once', { timeout: 120_000 }, async () => {
  const { page } = phone;
  await signIn(page, server.url);
  await waitForServiceWorker(page);
  await page.getByText('Все записи отправлены').waitFor();

  await server.kill();
  await logSubbotnik(page, { address: 'ул. Назарова, 8', participants: 6, bags: 11 });
  await page.getByText('Не отправлено изменений: 1').waitFor();
  const failure = page.getByRole('alert').filter({ hasText: 'Не удалось синхронизировать: сервер недоступен' });
  await failure.waitFor();
  assert.match(await failure.textContent(), /сервер недоступен\. Новая попытка через \d+ с\./);
  await screenshot(page, '13-server-down');
  assert.equal(await page.locator('.card').getByText('не отправлено').count(), 1);

  await server.start();
  await page.getByText('Все записи отправлены').waitFor({ timeout: 60_000 });
  assert.equal(await failure.count(), 0, 'the error is gone after a good sync');
  const stored = await serverActivities(server);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].site_address, 'ул. Назарова, 8');
});
