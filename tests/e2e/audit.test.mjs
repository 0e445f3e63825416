// The audit log from the admin's phone: what was done shows with who did it, filters by act and
// downloads as CSV; a coordinator sees their district's, a volunteer has no way in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, joinByInvite, openDevice, screenshot, seriousA11yViolations, serverPerFile, signIn } from './support.mjs';

const server = serverPerFile();
const COORDINATOR = { login: '8 905 444-55-66', password: 'район на ладони', name: 'Ирина Ковалёва' };

test('an admin reads, filters and downloads the audit log; a coordinator reads their district’s', { timeout: 120_000 }, async () => {
  const coordinator = await joinByInvite(server.url, { role: 'coordinator', scope: { district: 1 } }, COORDINATOR);
  await api(server.url, '/reference/committees', { token: await server.token(), body: { district: 2, name: 'Новый комитет' } });
  const year = new Date().getFullYear();
  const exported = await fetch(`${server.url}/api/v1/export/activities.csv?from=${year}-01-01&to=${year}-12-31`, {
    headers: { authorization: `Bearer ${coordinator}` },
  });
  assert.equal(exported.status, 200);

  const device = await openDevice('audit');
  try {
    const { page } = device;
    await signIn(page, server.url);
    await page.getByRole('link', { name: 'Ещё' }).click();
    await page.getByRole('link', { name: 'Журнал действий' }).click();
    await page.getByRole('heading', { name: 'Журнал действий' }).waitFor();
    const entries = page.locator('.audit-entry');
    await entries.first().waitFor();
    const texts = await entries.allInnerTexts();
    assert.match(texts[0], /Выгрузка данных — activities\.csv за 1 января \d{4} — 31 декабря \d{4}/);
    assert.match(texts[0], /Ирина Ковалёва · 127\.0\.0\.1 · /);
    assert.ok(texts.some((t) => /Справочник дополнен — комитет ТОС «Новый комитет»/.test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => /Приглашение создано — Координатор района: /.test(t)), texts.join('\n'));
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the audit log');
    await screenshot(page, '95-audit-log');

    await page.getByLabel('Действие').selectOption({ label: 'Справочник дополнен' });
    await page.waitForFunction(() => document.querySelectorAll('.audit-entry').length === 1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r\n/);
    assert.equal(lines.length, 2, csv);
    assert.match(lines[1], /Справочник дополнен/);
    await page.getByLabel('Действие').selectOption({ label: 'Пароль сброшен по коду' });
    await page.getByText('Записей нет.').waitFor();

    // The coordinator's log holds their district's acts, not the new committee of another.
    const theirs = await api(server.url, '/audit', { token: coordinator });
    assert.deepEqual(
      theirs.entries.map((e) => e.act.kind),
      ['export_downloaded', 'invite_used', 'invite_made'],
    );
  } finally {
    await device.close();
  }
});
