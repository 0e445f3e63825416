// The report screen for a seeded year: the figures the server counts, a district's, the
// breakdown and the trend of a figure, the same figures counted on the device with no network
// (saying so), and the printed page; the year's activities and the report downloaded as files
// with the progress shown, and an export refused offline with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESKTOP, api, hlc, openDevice, screenshot, seriousA11yViolations, serverPerFile, settle, signIn, testUuid, waitForServiceWorker } from './support.mjs';

const server = serverPerFile();
/** Last year: every month of it has passed, whenever the test runs. */
const YEAR = new Date().getFullYear() - 1;

/** The work of the year, as the devices of committees 1 and 2 (district 1) and 4 (district 2)
 * sent it. */
const WORK = [
  { kind: 'cleanup_day', committee: 1, date: `${YEAR}-04-19`, fields: { 'measures.participants': 30, 'measures.bags': 40, 'measures.area_m2': 1200 } },
  { kind: 'cleanup_day', committee: 2, date: `${YEAR}-05-17`, fields: { 'measures.participants': 12, 'measures.bags': 15, 'measures.area_m2': null } },
  { kind: 'beautification_action', committee: 4, date: `${YEAR}-05-24`, fields: { variant: 'city_flowers', 'measures.participants': 8, 'measures.flower_beds': 3, 'measures.seedlings': 450 } },
  { kind: 'cultural_event', committee: 1, date: `${YEAR}-06-12`, fields: { youth: true, 'measures.participants': 120 } },
  { kind: 'cultural_event', committee: 4, date: `${YEAR}-09-01`, fields: { youth: false, 'measures.participants': 80 } },
  { kind: 'summer_event', committee: 2, date: `${YEAR}-07-08`, fields: { variant: 'sports', 'measures.participants': 45 } },
  { kind: 'cleanup_day', committee: 1, date: `${YEAR - 1}-10-01`, fields: { 'measures.participants': 99, 'measures.bags': 99, 'measures.area_m2': null } },
];

async function seed() {
  const stamp = hlc(Date.now() - 60_000, 0, 0x9e9);
  const field = (value) => ({ value, hlc: stamp });
  const mutations = WORK.map((work, n) => ({
    mutation_id: testUuid('f9e9', n),
    change: {
      id: testUuid('9e90', n),
      kind: 'activity',
      author: 'user:1',
      owner: { committee: work.committee },
      deleted: field(false),
      fields: Object.fromEntries([
        ['kind', field(work.kind)],
        ['date', field(work.date)],
        ['site_address', field('ул. Весенняя, 5')],
        ...Object.entries(work.fields).map(([name, value]) => [name, field(value)]),
      ]),
    },
  }));
  // A loan of committee 1's rental desk in June: its id says when it was made.
  const made = Date.UTC(YEAR, 5, 15, 3).toString(16).padStart(12, '0');
  mutations.push({
    mutation_id: testUuid('f9e9', 99),
    change: {
      id: `${made.slice(0, 8)}-${made.slice(8)}-7000-8000-00000000e0a1`,
      kind: 'loan',
      author: 'user:1',
      owner: { committee: 1 },
      deleted: field(false),
      fields: { name: field('Иван Петров'), phone: field('+7 900 000-00-00'), due: field(`${YEAR + 80}-01-01`) },
    },
  });
  const answer = await api(server.url, '/sync/push', { token: await server.token(), body: { mutations } });
  assert.ok(answer.results.every((r) => r.outcome === 'applied'), JSON.stringify(answer));
}

/** The value the screen shows for figure `key`. */
const figure = (page, key) => page.locator(`.report-section tr[data-figure=${key}] td`).textContent();

/** The rows of an RFC 4180 text: quoted values may hold commas, quotes and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { value += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(value); value = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(value); rows.push(row); row = []; value = ''; i += 1; }
    else value += c;
  }
  return rows;
}

/** Unfolds the export panel, if folded. */
async function openExports(page) {
  const panel = page.getByTestId('export');
  if (!(await panel.evaluate((details) => details.open))) await panel.locator('summary').click();
}

/** Downloads the export chosen by the labels `dataset` and `format`, saved under `dir`. */
async function exportFile(page, dir, dataset, format) {
  await openExports(page);
  await page.locator('#export-dataset').selectOption({ label: dataset });
  await page.locator('#export-format').selectOption({ label: format });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export').getByRole('button', { name: 'Скачать' }).click(),
  ]);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  await page.getByTestId('export').getByText(`Файл «${download.suggestedFilename()}» сохранён.`).waitFor();
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

async function expectFigures(page, expected) {
  for (const [key, value] of Object.entries(expected)) {
    await page.waitForFunction(
      ([key, value]) => document.querySelector(`tr[data-figure=${key}] td`)?.textContent === value,
      [key, value],
      { timeout: 20_000 },
    ).catch(async () => assert.equal(await figure(page, key), value, key));
  }
}

test('the report shows the year the server counts, and the same counted on the device offline', { timeout: 180_000 }, async () => {
  await seed();
  const desk = await openDevice('report-desktop', DESKTOP);
  try {
    const { page, context } = desk;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await settle([page], server);
    await page.getByRole('link', { name: 'Отчёт' }).click();
    await page.locator('#report-year').selectOption(String(YEAR));
    const whole = {
      beautification_actions: '3',
      bags: '55',
      area_m2: '1\u202f200',
      seedlings: '450',
      cultural_events: '2',
      youth_events: '1',
      cultural_participants: '200',
      summer_events: '1',
      summer_sports: '1',
      summer_sports_participants: '45',
      summer_creative: '0',
      summer_creative_participants: '0',
      inventory_loans: '1',
      media_items: '0',
    };
    await expectFigures(page, whole);
    assert.equal(await page.getByTestId('report-source').count(), 0, 'counted by the server');

    // A late answer never shows under a later choice: the year's answer is held back while the
    // year before is chosen and answered at once.
    await page.locator('#report-year').selectOption(String(YEAR - 1));
    await page.waitForFunction(() => document.querySelector('.report-section tr[data-figure=bags] td')?.textContent !== '55');
    const yearBefore = await figure(page, 'bags');
    const late = `**/api/v1/report?from=${YEAR}-01-01*`;
    await page.route(late, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await route.continue();
    });
    await page.locator('#report-year').selectOption(String(YEAR));
    await page.locator('#report-year').selectOption(String(YEAR - 1));
    await expectFigures(page, { bags: yearBefore });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    assert.equal(await figure(page, 'bags'), yearBefore, 'the held-back year did not overwrite the year shown');
    await page.unroute(late);
    await page.locator('#report-year').selectOption(String(YEAR));
    await expectFigures(page, whole);

    // The breakdown and the trend of a figure.
    await page.locator('#report-figure').selectOption({ label: 'Собрано мешков мусора' });
    const breakdown = page.locator('table.breakdown').last();
    await breakdown.getByRole('row', { name: /Забойщик\s+40/ }).waitFor();
    await breakdown.getByRole('row', { name: /Рудник\s+15/ }).waitFor();
    await page.locator('svg.month-chart .bar-value', { hasText: '40' }).waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'report-desktop');

    // The year's activities as CSV, read back: the six of the year, their bags, their places.
    const files = mkdtempSync(join(tmpdir(), 'dvor-export-'));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 1500, downloadThroughput: 200 * 1024, uploadThroughput: 100 * 1024 });
    await openExports(page);
    await page.locator('#export-dataset').selectOption({ label: 'Работы' });
    await page.locator('#export-format').selectOption({ label: 'CSV' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      (async () => {
        await page.getByTestId('export').getByRole('button', { name: 'Скачать' }).click();
        await page.getByTestId('export-progress').getByText('Сервер готовит файл…').waitFor();
        await screenshot(page, 'report-export-progress', { fullPage: false });
      })(),
    ]);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.equal(download.suggestedFilename(), `activities-${YEAR}-01-01-${YEAR}-12-31.csv`);
    const csvFile = join(files, download.suggestedFilename());
    await download.saveAs(csvFile);
    const [headings, ...rows] = parseCsv(readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, ''));
    assert.equal(rows.length, 6);
    const bags = headings.indexOf('Мешки с мусором, шт.');
    assert.equal(rows.reduce((sum, row) => sum + Number(row[bags] || 0), 0), 55);
    const places = rows.map((row) => row[headings.indexOf('ТОС или ЦРН')]);
    assert.ok(places.includes('Забойщик') && places.includes('Рудник'), places.join());
    assert.equal(rows[0][headings.indexOf('Адрес')], 'ул. Весенняя, 5');
    // The report as a workbook: a zip, named for the year.
    const report = await exportFile(page, files, 'Отчёт', 'Excel (XLSX)');
    assert.equal(report.name, `report-${YEAR}-01-01-${YEAR}-12-31.xlsx`);
    assert.equal(report.bytes.subarray(0, 2).toString(), 'PK');
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe with the export panel');

    // A figure links to the activities it counts: the year's two subbotniks, not last year's.
    await page.locator('tr[data-figure=bags] td a').click();
    await page.waitForURL(/figure=bags/);
    await page.locator('ul.cards > li').nth(1).waitFor();
    assert.equal(await page.locator('ul.cards > li').count(), 2);
    assert.equal(await page.locator('#filter-figure').inputValue(), 'bags');
    assert.equal(await page.locator('#filter-from').inputValue(), `${YEAR}-01-01`);
    await screenshot(page, 'report-figure-records');
    await page.goBack();
    await page.locator('#report-year').selectOption(String(YEAR));
    await expectFigures(page, whole);

    // One district.
    await page.locator('#report-district').selectOption({ label: 'Кедровка' });
    await expectFigures(page, { beautification_actions: '1', seedlings: '450', bags: '0', cultural_events: '1', youth_events: '0' });
    assert.equal(await page.getByTestId('report-scope').textContent(), `${YEAR} год · Кедровка`);
    await page.locator('#report-district').selectOption({ label: 'Все' });
    await expectFigures(page, whole);

    // No network: the device counts its own records and says so.
    await context.setOffline(true);
    await page.reload();
    await page.locator('#report-year').selectOption(String(YEAR));
    await page.getByTestId('report-source').getByText('Нет связи с сервером').waitFor();
    await expectFigures(page, whole);
    await openExports(page);
    await page.getByTestId('export').getByRole('button', { name: 'Скачать' }).click();
    await page.getByTestId('export').getByRole('alert').getByText('Выгрузку готовит сервер, а связи с ним нет.').waitFor();

    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'report-print');
    await page.emulateMedia({ media: 'screen' });
  } finally {
    await desk.close();
  }
});
