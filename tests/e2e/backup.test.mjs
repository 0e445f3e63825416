// Durability beyond the browser: unsynced records saved to a file and restored on another
// device, exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  logSubbotnik,
  openDevice,
  screenshot,
  serverActivities,
  seriousA11yViolations,
  serverPerFile,
  signIn,
  waitForServiceWorker,
} from './support.mjs';

const server = serverPerFile();

test('unsynced records travel in a backup file to another device and reach the server once', { timeout: 180_000 }, async () => {
  const files = mkdtempSync(join(tmpdir(), 'dvor-backup-'));
  const phone = await openDevice('backup-phone');
  const tablet = await openDevice('backup-tablet');
  try {
    const { page, context } = phone;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await logSubbotnik(page, { committee: 'Лидер', address: 'ул. Назарова, 8', participants: 12, bags: 30 });
    await page.getByText('Не отправлено изменений: 1').waitFor();

    // The backup is the device's, under the account.
    await page.getByRole('link', { name: 'Ещё' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Сохранить резервную копию' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^dvor-backup-\d{4}-\d{2}-\d{2}\.json$/);
    const backupFile = join(files, download.suggestedFilename());
    await download.saveAs(backupFile);
    await page.getByText('Резервная копия сохранена в файл, изменений: 1.').waitFor();
    await screenshot(page, '10-backup-saved');
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the backup section');

    const other = tablet.page;
    await signIn(other, server.url);
    await other.getByText('Записей пока нет.').waitFor();
    await other.getByRole('link', { name: 'Ещё' }).click();
    const chooser = other.locator('input[type=file]');
    await chooser.setInputFiles(backupFile);
    await other.getByText('Восстановлено изменений: 1; уже были на устройстве или на сервере: 0.').waitFor();
    await other.getByRole('link', { name: 'Записи', exact: true }).click();
    await other.locator('.card').getByText('отправлено', { exact: true }).waitFor();
    await screenshot(other, '11-backup-restored');
    assert.equal((await serverActivities(server)).length, 1);

    // The phone comes back online and sends its own copy: the server keeps one.
    await context.setOffline(false);
    await page.getByText('Все записи отправлены').waitFor();
    const stored = await serverActivities(server);
    assert.equal(stored.length, 1, 'one record, whichever copy arrived first');
    assert.deepEqual(stored[0].owner, { committee: 3 }, 'kept by «Лидер»');

    // Restoring again changes nothing; a stray file is refused with the reason.
    await other.getByRole('link', { name: 'Ещё' }).click();
    await chooser.setInputFiles(backupFile);
    await other.getByText('Восстановлено изменений: 0; уже были на устройстве или на сервере: 1.').waitFor();
    const stray = join(files, 'photo.json');
    writeFileSync(stray, '{"not": "a backup"}');
    await chooser.setInputFiles(stray);
    await other.getByText('Этот файл не является резервной копией «Двора».').waitFor();
    await other.getByRole('link', { name: 'Записи', exact: true }).click();
    await other.locator('.card').first().waitFor();
    assert.equal(await other.locator('.card').count(), 1);
  } finally {
    await phone.close();
    await tablet.close();
  }
});
