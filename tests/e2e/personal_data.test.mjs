// A volunteer's rights over their own data on a phone: downloading what the server holds about
// them and asking for their account's erasure; the admin carries it out on another device. The
// volunteer's subbotnik stays on the server, without their name; their phone can no longer sync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { joinByInvite, logSubbotnik, openDevice, screenshot, serverActivities, serverPerFile, settle, signIn } from './support.mjs';

const server = serverPerFile();
const VOLUNTEER = { login: 'olga@example.ru', password: 'двор на Весенней', name: 'Ольга Смирнова' };

test('a volunteer downloads their data and is erased at their request; their work stays', { timeout: 180_000 }, async () => {
  await joinByInvite(server.url, { role: 'volunteer', scope: { committee: 1 } }, VOLUNTEER);
  const phone = await openDevice('my-data-phone');
  const desk = await openDevice('my-data-admin');
  try {
    const { page } = phone;
    await signIn(page, server.url, VOLUNTEER);
    await logSubbotnik(page, { address: 'ул. Весенняя, 3', participants: 4, bags: 6 });
    await settle([page], server);

    await page.getByRole('link', { name: 'Ещё' }).click();
    await page.getByRole('heading', { name: 'Мои данные' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать мои данные' }).click()]);
    const mine = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(mine.me.login, VOLUNTEER.login);
    assert.ok(mine.consented_at_ms > 0, 'the agreement at joining is kept');
    assert.equal(mine.records.length, 1);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Попросить удалить учётную запись' }).click();
    await page.getByText('Запрос отправлен.', { exact: false }).waitFor();
    await page.getByRole('heading', { name: 'Мои данные' }).scrollIntoViewIfNeeded();
    await screenshot(page, '96-my-data', { fullPage: false });

    await signIn(desk.page, server.url);
    await desk.page.getByRole('link', { name: 'Ещё' }).click();
    const request = desk.page.locator('.erasure-requests li', { hasText: VOLUNTEER.login });
    await request.waitFor();
    await request.scrollIntoViewIfNeeded();
    await screenshot(desk.page, '97-erasure-requests', { fullPage: false });
    desk.page.once('dialog', (dialog) => dialog.accept());
    await request.getByRole('button', { name: 'Удалить учётную запись' }).click();
    await desk.page.getByText('Запросов нет.').waitFor();

    // The volunteer's phone is signed out by the server; the subbotnik stays, without a name.
    await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
    await page.getByText('Сеанс завершён', { exact: false }).first().waitFor({ timeout: 30_000 });
    const activities = await serverActivities(server);
    assert.equal(activities.length, 1);
    assert.equal(activities[0].site_address, 'ул. Весенняя, 3');
    const authors = await (await fetch(`${server.url}/api/v1/authors`, { headers: { authorization: `Bearer ${await server.token()}` } })).json();
    assert.ok(!JSON.stringify(authors).includes(VOLUNTEER.name), JSON.stringify(authors));
  } finally {
    await phone.close();
    await desk.close();
  }
});
