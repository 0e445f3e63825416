// The sync benchmark of `cargo xtask bench`: a fresh device pulling 10 000 records and a device
// pushing 10 000 pending records, then the same with 100 000 (DVOR_BENCH_RECORDS, comma-separated,
// changes the counts), on loopback, in headless Chromium — Двор against dvor-server,
// and side by side PouchDB (pouchdb-browser) replicating with pouchdb-server; and Двор's
// IndexedDB writes of those records against Dexie's bulkPut of the same objects. Prints a
// Markdown table on stdout (the last thing it prints), progress on stderr.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { api, signIn } from '../../tests/e2e/city.mjs';
import { browser, cleanUp, freePort, keep, log, measures, seconds, startDvor, subbotniks, temp, verdict, waitFor } from './common.mjs';

const require = createRequire(import.meta.url);
/** The record counts compared: a committee's device, and a region's coordinator on a fresh laptop. */
const SCALES = (process.env.DVOR_BENCH_RECORDS || '10000,100000').split(',').map(Number);

async function startPouchServer() {
  const port = await freePort();
  const bin = join(process.cwd(), 'node_modules', '.bin', 'pouchdb-server');
  keep(bin, ['--in-memory', '--port', String(port), '--host', '127.0.0.1', '--no-color'], { cwd: temp });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url);
  return url;
}

const sum = (list) => list.reduce((a, b) => a + b, 0);

async function dvorPull(mutations) {
  const { url, token } = await startDvor(`pull-${mutations.length}`);
  for (let i = 0; i < mutations.length; i += 500) {
    await api(url, '/sync/push', { token, body: { mutations: mutations.slice(i, i + 500) } });
  }
  const { context, page } = await browser();
  await signIn(page, url);
  await page.waitForFunction(() => performance.getEntriesByName('dvor:pull').length > 0, null, { polling: 500, timeout: 600_000 });
  const pull = (await measures(page, 'dvor:pull'))[0];
  const writes = sum(await measures(page, 'dvor:pull-write'));
  // Двор keeps each record as JSON text; Dexie gets the same records as the objects a Dexie
  // app keeps, and writes them in one bulkPut, in a database of its own.
  // Evaluated, not added as a script tag: the app's CSP refuses inline scripts.
  await page.evaluate(readFileSync(require.resolve('dexie/dist/dexie.min.js'), 'utf8'));
  const dexie = await page.evaluate(async () => {
    const texts = await new Promise((resolve, reject) => {
      const open = indexedDB.open('dvor');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const request = open.result.transaction('records').objectStore('records').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      };
    });
    // The same values Двор stores, with the same index on the list order: the same work.
    const keys = texts.map((value) => JSON.parse(value.j).state.id);
    const objects = texts;
    const db = new Dexie('dexie-bench');
    db.version(1).stores({ records: ',o' });
    await db.open();
    const started = performance.now();
    await db.records.bulkPut(objects, keys);
    return { took: performance.now() - started, count: objects.length };
  });
  if (dexie.count !== mutations.length) throw new Error(`the device holds ${dexie.count} records, not ${mutations.length}`);
  await context.close();
  return { pull, writes, dexie: dexie.took };
}

async function dvorPush(mutations) {
  const { url, token } = await startDvor(`push-${mutations.length}`);
  const { context, page } = await browser();
  await signIn(page, url);
  await page.waitForFunction(() => performance.getEntriesByName('dvor:pull').length > 0, null, { polling: 500 });
  const file = join(temp, 'backup.json');
  writeFileSync(file, JSON.stringify({ format: 'dvor-backup', version: 3, created_at: new Date().toISOString(), mutations }));
  await page.evaluate(() => performance.clearMeasures());
  await page.getByRole('link', { name: 'Ещё' }).click();
  const started = Date.now();
  await page.locator('input[type=file]').setInputFiles(file);
  // Waiting by Playwright's locators (or its default polling) would look at the page on every
  // frame and slow the work it measures; a glance twice a second does not.
  const shows = (text) =>
    page.waitForFunction((t) => document.body.innerText.includes(t), text, { polling: 500, timeout: 600_000 });
  await shows('Восстановлено изменений:');
  log(`restored in ${Date.now() - started} ms`);
  await shows('Все записи отправлены');
  log(`all sent ${Date.now() - started} ms after the restore began`);
  const push = sum(await measures(page, 'dvor:push'));
  // The device's own work in it (src/timing.rs); the rest is the network and the server, and
  // the answers of a batch are stored while the next one travels.
  const reads = sum(await measures(page, 'dvor:push-read'));
  const answers = sum(await measures(page, 'dvor:push-answers'));
  await context.close();
  const stored = await api(url, '/sync/pull?after=0&limit=1', { token });
  if (stored.remaining + stored.changes.length !== mutations.length) throw new Error('the server does not hold every pushed record');
  return { push, reads, answers };
}

/** A page on pouchdb-server's own origin (so no CORS) with pouchdb-browser loaded as a module. */
async function pouchPage(pouchUrl) {
  const { context, page } = await browser();
  const cjs = (path) => `const module = { exports: {} }; const exports = module.exports;\n${readFileSync(require.resolve(path), 'utf8')}\nexport default module.exports;`;
  const uuidDir = join(process.cwd(), 'node_modules', 'uuid', 'dist', 'esm-browser');
  const files = {
    'index.html': ['text/html', `<!doctype html><script type="importmap">{"imports":{"spark-md5":"./spark-md5.js","vuvuzela":"./vuvuzela.js","events":"./events.js","uuid":"./uuid/index.js"}}</script><script type="module">import PouchDB from './pouchdb.js'; window.PouchDB = PouchDB;</script>`],
    'pouchdb.js': ['text/javascript', readFileSync(require.resolve('pouchdb-browser/lib/index.es.js'), 'utf8')],
    'spark-md5.js': ['text/javascript', cjs('spark-md5')],
    'vuvuzela.js': ['text/javascript', cjs('vuvuzela')],
    'events.js': ['text/javascript', cjs('events/events.js')],
  };
  await page.route(`${pouchUrl}/__bench/**`, (route) => {
    const name = new URL(route.request().url()).pathname.replace('/__bench/', '');
    if (name.startsWith('uuid/')) {
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(uuidDir, name.slice(5)), 'utf8') });
    }
    const [contentType, body] = files[name];
    return route.fulfill({ contentType, body });
  });
  page.on('pageerror', (error) => log('page error:', error.message));
  await page.goto(`${pouchUrl}/__bench/index.html`);
  await page.waitForFunction(() => window.PouchDB !== undefined, null, { timeout: 30_000 });
  return { context, page };
}

const asDocs = (values) => values.map(({ id, ...rest }) => ({ _id: id, ...rest }));

async function pouchPull(values) {
  const url = await startPouchServer();
  await fetch(`${url}/pull`, { method: 'PUT' });
  const docs = asDocs(values);
  for (let i = 0; i < docs.length; i += 1000) {
    await fetch(`${url}/pull/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs: docs.slice(i, i + 1000) }) });
  }
  const { context, page } = await pouchPage(url);
  const result = await page.evaluate(async (remote) => {
    const local = new window.PouchDB('pull-bench');
    const started = performance.now();
    await local.replicate.from(remote);
    const took = performance.now() - started;
    return { took, count: (await local.info()).doc_count };
  }, `${url}/pull`);
  await context.close();
  if (result.count !== values.length) throw new Error(`PouchDB pulled ${result.count} documents`);
  return result.took;
}

async function pouchPush(values) {
  const url = await startPouchServer();
  await fetch(`${url}/push`, { method: 'PUT' });
  const { context, page } = await pouchPage(url);
  const took = await page.evaluate(
    async ({ remote, docs }) => {
      const local = new window.PouchDB('push-bench');
      await local.bulkDocs(docs);
      const started = performance.now();
      await local.replicate.to(remote);
      return performance.now() - started;
    },
    { remote: `${url}/push`, docs: asDocs(values) },
  );
  await context.close();
  const info = await fetch(`${url}/push`).then((r) => r.json());
  if (info.doc_count !== values.length) throw new Error(`pouchdb-server holds ${info.doc_count} documents`);
  return took;
}


const count = (n) => n.toLocaleString('en').replace(/,/g, ' ');

/** Both sides at `records`: the table's rows. */
async function atScale(records, only) {
  const { values, mutations } = subbotniks(records);
  log(`Двор: a fresh device pulls ${records} records`);
  const dvor = only === 'pouch' ? { pull: 1, writes: 1, dexie: 1 } : await dvorPull(mutations);
  log(`Двор: a device pushes ${records} pending records`);
  const pushed = only === 'pouch' ? { push: 1, reads: 1, answers: 1 } : await dvorPush(mutations);
  log(`PouchDB: replicate.from ${records} documents`);
  const pouchPulled = await pouchPull(values);
  log(`PouchDB: replicate.to ${records} documents`);
  const pouchPushed = await pouchPush(values);
  const pullRatio = pouchPulled / dvor.pull;
  const pushRatio = pouchPushed / pushed.push;
  const dexieRatio = dvor.writes / dvor.dexie;
  const n = count(records);
  return [
    `| ${n}: a fresh device pulls everything | ${seconds(dvor.pull)} | PouchDB ${seconds(pouchPulled)} | ${pullRatio.toFixed(1)}× faster | ≥ 5× faster: ${verdict(pullRatio >= 5)} |`,
    `| ${n}: a device pushes its pending records | ${seconds(pushed.push)} | PouchDB ${seconds(pouchPushed)} | ${pushRatio.toFixed(1)}× faster | ≥ 5× faster: ${verdict(pushRatio >= 5)} |`,
    `| ${n}: of which the device reading its outbox | ${seconds(pushed.reads)} | | | |`,
    `| ${n}: of which the device storing the server's answers (while the next batch travels) | ${seconds(pushed.answers)} | | | |`,
    `| ${n}: IndexedDB writes of the pulled records | ${seconds(dvor.writes)} | Dexie bulkPut ${seconds(dvor.dexie)} | ${dexieRatio.toFixed(2)}× Dexie's time | ≤ 1.3×: ${verdict(dexieRatio <= 1.3)} |`,
  ];
}

try {
  const only = process.env.DVOR_BENCH_ONLY;
  const rows = [
    '| work (records, loopback, headless Chromium) | Двор | other | ratio | goal |',
    '|---|---:|---:|---:|---|',
  ];
  for (const records of SCALES) rows.push(...(await atScale(records, only)));
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
