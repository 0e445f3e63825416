// The entry benchmark of `cargo xtask bench`: how long saving a subbotnik takes to be durable
// on the device (median and 95th percentile of 30 saves through the form), and how long the
// records screen takes to show its first cards on a device holding 100 000 records, as a
// region's coordinator's does (from the moment the app asks for the list, and the whole cold
// open beside it), both in headless Chromium slowed to a quarter of its CPU speed, as a modest
// phone would be. Prints a
// Markdown table on stdout (the last thing it prints), progress on stderr.
import { api, signIn } from '../../tests/e2e/city.mjs';
import { browser, cleanUp, log, measures, startDvor, subbotniks, verdict } from './common.mjs';

const RECORDS = Number(process.env.DVOR_BENCH_LIST_RECORDS || 100_000);
const SAVES = 30;
const THROTTLING = 4;

const ms = (value) => `${value.toFixed(1)} ms`;
const percentile = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

try {
  const { url, token } = await startDvor('entry');
  const { mutations } = subbotniks(RECORDS);
  for (let i = 0; i < mutations.length; i += 500) {
    await api(url, '/sync/push', { token, body: { mutations: mutations.slice(i, i + 500) } });
  }
  const { context, page } = await browser();
  // The moment the first card is on screen, as the page itself sees it.
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('.card')) {
        performance.mark('dvor:first-card');
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  log(`a device pulls ${RECORDS} records`);
  await signIn(page, url);
  await page.waitForFunction(() => performance.getEntriesByName('dvor:pull').length > 0, null, { polling: 500, timeout: 600_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLING });

  log(`the records screen opens over ${RECORDS} records, CPU ${THROTTLING}× slower`);
  const opens = [];
  const lists = [];
  const loads = [];
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('dvor:first-card').length > 0, null, { polling: 500 });
    await page.waitForFunction(() => performance.getEntriesByName('dvor:records-load').length > 0, null, { polling: 500 });
    const [card, load] = await page.evaluate(() => [
      performance.getEntriesByName('dvor:first-card')[0].startTime,
      performance.getEntriesByName('dvor:records-load')[0],
    ].map((entry) => (typeof entry === 'number' ? entry : { start: entry.startTime, duration: entry.duration })));
    opens.push(card);
    // From the moment the app asks the store for the list to the first card on screen.
    lists.push(card - load.start);
    loads.push(load.duration);
  }
  const open = percentile(opens, 50);
  const list = percentile(lists, 50);
  const load = percentile(loads, 50);

  log(`${SAVES} subbotniks saved through the form`);
  const saves = [];
  // Where a save's time goes: its reads, its merge and writes issued, its commit (src/timing.rs).
  const parts = { read: [], write: [], commit: [] };
  for (let i = 0; i < SAVES; i++) {
    await page.goto(`${url}/new/cleanup_day`);
    // A person takes half a minute over the form; by then the app has finished opening (its
    // first sync pass included). Without this wait the save would measure the boot.
    await page.waitForFunction(() => performance.getEntriesByName('dvor:pull').length > 0, null, { polling: 100 });
    await page.getByLabel('Комитет ТОС или ЦРН').selectOption({ label: 'Забойщик' });
    await page.getByLabel('Адрес участка').fill(`двор № ${i + 1}`);
    await page.getByLabel('Участники').fill('5');
    await page.getByLabel('Мешки с мусором').fill('7');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('dvor:save').length > 0, null, { polling: 500 });
    saves.push((await measures(page, 'dvor:save'))[0]);
    for (const [part, times] of Object.entries(parts)) times.push((await measures(page, `dvor:save-${part}`))[0]);
  }
  // The floor under a save on this machine: one small put in a strict-durability transaction of
  // a database of its own, the commit waited for, as a save waits for it; and the same with the
  // browser's default (relaxed) durability, which a power cut may undo.
  const floor = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('bench-floor', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('values');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const times = { strict: [], relaxed: [] };
    for (let i = 0; i < 30; i++) {
      for (const durability of ['strict', 'relaxed']) {
        const started = performance.now();
        await new Promise((resolve, reject) => {
          const tx = db.transaction('values', 'readwrite', { durability });
          tx.objectStore('values').put('x'.repeat(1000), i);
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        times[durability].push(performance.now() - started);
      }
    }
    db.close();
    return times;
  });
  await context.close();
  const [median, p95] = [percentile(saves, 50), percentile(saves, 95)];
  const rows = [
    `| work (headless Chromium, CPU ${THROTTLING}× slower) | Двор | goal |`,
    '|---|---:|---|',
    `| saving a subbotnik until durable, median of ${SAVES} | ${ms(median)} | < 10 ms: ${verdict(median < 10)} |`,
    `| saving a subbotnik until durable, 95th percentile | ${ms(p95)} | < 20 ms: ${verdict(p95 < 20)} |`,
    `| of which the three reads together: the record, the clock, the session (median) | ${ms(percentile(parts.read, 50))} | |`,
    `| of which the merge, the encoding and the two writes issued (median) | ${ms(percentile(parts.write, 50))} | |`,
    `| of which the commit (median) | ${ms(percentile(parts.commit, 50))} | |`,
    `| the floor: one small put committed with strict durability, median of 30 | ${ms(percentile(floor.strict, 50))} | |`,
    `| the same with the default (relaxed) durability, median of 30 | ${ms(percentile(floor.relaxed, 50))} | |`,
    `| records screen: the list's first screen, from asking the store to the first card, ${RECORDS.toLocaleString('en').replace(/,/g, ' ')} records on the device (median of 5) | ${ms(list)} | < 150 ms: ${verdict(list < 150)} |`,
    `| of which reading the first 50 through the index (median of 5) | ${ms(load)} | |`,
    `| the whole cold open after a reload: loading the app, opening the store, first card (median of 5) | ${ms(open)} | |`,
  ];
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
