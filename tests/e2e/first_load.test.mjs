// Screens fetched on first use (src/chunk.rs, xtask/src/wasm.rs): the first download holds no
// screen a volunteer does not need; every other screen opens offline once the service worker
// has precached its chunk; a chunk that cannot be fetched says so in Russian and loads on retry;
// an update waiting while offline leaves the running version's chunks working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { HEADING, devicePerFile, logSubbotnik, openDevice, screenshot, serverPerFile, signIn, waitForServiceWorker } from './support.mjs';

const server = serverPerFile();
const phone = devicePerFile('phone');

/** Each screen loaded on first use: its path and the heading it shows. */
const ON_FIRST_USE = [
  '/sites',
  '/sites/new',
  '/map',
  '/report',
  '/inventory',
  '/inventory/loans',
  '/inventory/lend',
  '/inventory/add',
  '/inventory/count',
  '/account',
  '/audit',
  '/reset',
].map((path) => [path, HEADING[path]]);

const isChunk = (url) => /\/split_\w+-[0-9a-f]{16}\.wasm$|\/chunk_\d+-[0-9a-f]{16}\.wasm$/.test(new URL(url).pathname);

/** Opens `path` by a fresh page load and waits for its heading. */
async function open(page, path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole('heading', { name: heading, exact: typeof heading === 'string', level: 1 }).waitFor();
}

test('a volunteer needs no chunk: with every chunk refused the records and the form work; a refused chunk says so and loads on retry', { timeout: 120_000 }, async () => {
  // No service worker, so every chunk is asked of the server, and refused until the retry.
  const device = await openDevice('no-chunks', { serviceWorkers: 'block' });
  try {
    const { page, context } = device;
    await context.route((url) => isChunk(url.href), (route) => route.abort('connectionfailed'));
    await signIn(page, server.url);
    const failed = page.getByRole('alert').filter({ hasText: 'Эта часть приложения ещё не загружена на устройство' });
    await logSubbotnik(page, { address: 'ул. Весенняя, 5', participants: 12, bags: 30 });
    await page.getByText('ул. Весенняя, 5').waitFor();
    assert.equal(await failed.count(), 0, 'the records screen needs no chunk');
    await screenshot(page, 'first-load-01-records-without-chunks');

    await page.getByRole('link', { name: 'Отчёт' }).click();
    await failed.waitFor();
    await screenshot(page, 'first-load-02-screen-failed');
    await context.unrouteAll();
    await failed.getByRole('button', { name: 'Повторить' }).click();
    await page.getByRole('heading', { name: 'Отчёт о работе ТОС и ЦРН', level: 1 }).waitFor();
    assert.equal(await failed.count(), 0, 'the message is gone once the screen is here');
    await page.getByRole('link', { name: 'Записи', exact: true }).click();
    await page.getByText('ул. Весенняя, 5').waitFor();
  } finally {
    await device.close();
  }
});

test('every screen fetched on first use is precached and opens offline', { timeout: 180_000 }, async () => {
  const { page, context } = phone;
  await signIn(page, server.url);
  await waitForServiceWorker(page);
  // Installed means precached: every chunk is in the worker's cache before it takes control.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('dvor-shell-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  const chunks = readdirSync(server.staticDir).filter((f) => isChunk(`http://x/${f}`));
  assert.ok(chunks.length > 0, 'the build made chunks');
  for (const chunk of chunks) assert.ok(cached.includes(`/${chunk}`), `${chunk} precached`);

  const fetched = [];
  page.on('request', (request) => {
    if (isChunk(request.url())) fetched.push(request.url());
  });
  await context.setOffline(true);
  for (const [path, heading] of ON_FIRST_USE) {
    await open(page, path, heading);
  }
  assert.ok(fetched.length > 0, 'the screens fetched their chunks');
  await context.setOffline(false);
});

test('an update waiting while offline leaves the running version’s screens working', { timeout: 120_000 }, async () => {
  const { page, context } = phone;
  await page.goto(server.url);
  await waitForServiceWorker(page);
  // A new build: the worker changes, and the old chunks are gone from the server.
  const worker = join(server.staticDir, 'sw.js');
  appendFileSync(worker, '\n// next build\n');
  writeFileSync(`${worker}.br`, brotliCompressSync(readFileSync(worker)));
  writeFileSync(`${worker}.gz`, gzipSync(readFileSync(worker)));
  for (const chunk of readdirSync(server.staticDir).filter((f) => /^(split|chunk)_\w+-[0-9a-f]{16}\.wasm/.test(f))) {
    writeFileSync(join(server.staticDir, chunk), 'gone');
    writeFileSync(join(server.staticDir, `${chunk}.br`), brotliCompressSync('gone'));
    writeFileSync(join(server.staticDir, `${chunk}.gz`), gzipSync('gone'));
  }
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await page.getByRole('alert').filter({ hasText: 'Доступна новая версия приложения.' }).waitFor();
  await context.setOffline(true);
  for (const [path, heading] of [['/report', 'Отчёт о работе ТОС и ЦРН'], ['/inventory', 'Склад и прокат']]) {
    await open(page, path, heading);
  }
  await context.setOffline(false);
});
