// A record the server refuses (here: a phone whose clock runs two days ahead dates it in the
// future) stays on the phone with the reason, does not hold up the others, and can be corrected
// or removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logSubbotnik, openDevice, screenshot, serverActivities, seriousA11yViolations, serverPerFile, signIn } from './support.mjs';

const DAY = 24 * 60 * 60 * 1000;
const server = serverPerFile();

test('a refused record is shown with the reason and can be fixed or discarded', { timeout: 120_000 }, async () => {
  const device = await openDevice('wrong-clock');
  try {
    const { page } = device;
    await page.clock.setFixedTime(new Date(Date.now() + 2 * DAY));
    await signIn(page, server.url);
    // The first sync tells the phone the server's time, so its changes are stamped right even
    // though its own clock is wrong; the date it suggests is still its own.
    await page.getByText('Синхронизировано:').waitFor({ state: 'attached' });

    await logSubbotnik(page, { committee: 'Лидер', address: 'ул. Сарыгина, 40 А', participants: 4, bags: 2 });
    await logSubbotnik(page, { committee: 'Лидер', address: 'просп. Октябрьский, 56 Б', participants: 3, bags: 1 });
    const refused = page.locator('.card').filter({ hasText: 'отклонено сервером' });
    await refused.nth(1).waitFor();
    assert.equal(await refused.count(), 2);
    assert.match(await refused.first().textContent(), /Дата не может быть в будущем/);
    await page.getByText('Не отправлено изменений: 2').waitFor();
    await screenshot(page, '15-refused');
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on refused records');

    // Correct one: the form opens filled in; a real date makes it acceptable.
    const today = new Date().toISOString().slice(0, 10);
    await refused.filter({ hasText: 'Сарыгина' }).getByRole('link', { name: 'Исправить' }).click();
    await page.getByRole('heading', { name: 'Исправление записи' }).waitFor();
    assert.equal(await page.getByLabel('Адрес участка').inputValue(), 'ул. Сарыгина, 40 А');
    assert.equal(await page.getByLabel('Участники').inputValue(), '4');
    await page.getByLabel('Дата').fill(today);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('.card').filter({ hasText: 'Сарыгина' }).getByText('отправлено', { exact: true }).waitFor();

    // Discard the other, after confirming.
    page.once('dialog', (dialog) => dialog.accept());
    await refused.getByRole('button', { name: 'Удалить с устройства' }).click();
    await page.getByText('Все записи отправлены').waitFor();
    assert.equal(await page.locator('.card').count(), 1);

    const stored = await serverActivities(server);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].date, today);
    assert.equal(stored[0].site_address, 'ул. Сарыгина, 40 А');
  } finally {
    await device.close();
  }
});
