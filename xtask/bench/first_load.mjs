// The first-load benchmark of `cargo xtask bench first-load`: the bytes on the wire from our own
// release server that the page takes before each role's first screen is usable (the page's
// `encodedDataLength` from the DevTools protocol), cold cache, on a mobile profile (390×844,
// CPU 4× slower, Fast 3G: 1.6 Mbps, 150 ms); the whole first visit, with what the service
// worker precaches (counted by a proxy in front of the server, which sees the worker's
// downloads too); and the time to that screen.
// «Cold» keeps the person signed in (IndexedDB) and clears the HTTP cache, Cache Storage and
// the service worker. Prints a Markdown table on stdout, progress on stderr.
import http from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL, api, signIn } from '../../tests/e2e/city.mjs';
import { browser, cleanUp, log, startDvor, subbotniks, verdict } from './common.mjs';

const FAST_3G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

/** A proxy to `target` that counts the bytes of every answer it passes on. */
async function countingProxy(target) {
  const upstream = new URL(target);
  const counter = { bytes: 0 };
  const proxy = http.createServer((req, res) => {
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const head = Object.entries(answer.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 17);
        counter.bytes += head;
        answer.on('data', (chunk) => {
          counter.bytes += chunk.length;
        });
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => req.socket.destroy());
    req.pipe(forwarded);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${proxy.address().port}`, counter, close: () => proxy.close() };
}

/**
 * The brotli bytes of what screens fetch on first use: every wasm chunk the build made, and
 * the map's scripts and styles (`dist/map/`).
 */
function lazyBytes() {
  const dist = process.env.DVOR_DIST;
  const brotli = (dir, pattern) =>
    readdirSync(join(dist, dir))
      .filter((f) => pattern.test(f))
      .reduce((sum, f) => sum + statSync(join(dist, dir, f)).size, 0);
  return brotli('.', /^(split|chunk)_\w+-[0-9a-f]{16}\.wasm\.br$/) + brotli('map', /\.br$/);
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The bytes of `path`'s answer body as sent with `encoding` (not decompressed). */
function wireBytes(url, path, token, encoding) {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}${path}`, { headers: { ...PROTOCOL, authorization: `Bearer ${token}`, 'accept-encoding': encoding } }, (answer) => {
        let bytes = 0;
        answer.on('data', (chunk) => {
          bytes += chunk.length;
        });
        answer.on('end', () => resolve({ bytes, encoding: answer.headers['content-encoding'] ?? 'identity' }));
      })
      .on('error', reject);
  });
}
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens `path` cold on a phone and measures it until `usable` shows. */
async function measure(url, counter, path, usable, { signedIn }) {
  const { context, page } = await browser();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    if (signedIn) {
      await signIn(page, url);
      await page.evaluate(() => navigator.serviceWorker.ready);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Storage.clearDataForOrigin', { origin: url, storageTypes: 'cache_storage,service_workers' });
    await page.goto('about:blank');
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    counter.bytes = 0;
    let blocking = 0;
    let open = true;
    cdp.on('Network.loadingFinished', (event) => {
      if (open) blocking += event.encodedDataLength;
    });
    const started = performance.now();
    await page.goto(`${url}${path}`, { waitUntil: 'commit' });
    await usable(page);
    const time = performance.now() - started;
    open = false;
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null || caches.keys().then((k) => k.length > 0), null, { timeout: 120_000 });
    await settle(3000);
    return { blocking, total: counter.bytes, time };
  } finally {
    await context.close();
  }
}

try {
  const { url: serverUrl, token } = await startDvor('first-load');
  const proxy = await countingProxy(serverUrl);
  const heading = (name) => (page) => page.getByRole('heading', { name, exact: true }).waitFor({ timeout: 120_000 });
  const rows = [
    '| role: first screen, cold cache, phone (Fast 3G, CPU 4×) | blocking bytes | whole first visit (with precache) | first usable screen | goal |',
    '|---|---:|---:|---:|---|',
  ];
  const lazy = lazyBytes();
  log(`what screens fetch on first use (wasm chunks, the map's scripts): ${kb(lazy)} with brotli`);
  for (const [what, path, usable, signedIn, goal] of [
    ['a newcomer: the sign-in screen', '/signin', heading('Вход'), false, 150_000],
    ['volunteer: the records (`/`)', '/', heading('Записи'), true, 150_000],
    ['volunteer: a new subbotnik (`/new/cleanup_day`)', '/new/cleanup_day', heading('Новый субботник'), true, 150_000],
    ['desk tablet: the stock (`/inventory`)', '/inventory', heading('Склад и прокат'), true, 250_000],
    ['coordinator: the map (`/map`)', '/map', heading('Карта объектов'), true, 250_000],
    ['coordinator: the report (`/report`)', '/report', heading('Отчёт о работе ТОС и ЦРН'), true, 250_000],
  ]) {
    const { blocking, total, time } = await measure(proxy.url, proxy.counter, path, usable, { signedIn });
    log(`${what}: ${kb(blocking)} blocking, ${kb(total)} in all, ${(time / 1000).toFixed(2)} s`);
    rows.push(
      `| ${what} | ${kb(blocking)} | ${kb(total)} | ${(time / 1000).toFixed(2)} s | ≤ ${kb(goal)}: ${verdict(blocking <= goal)}; whole visit ≤ 1.2 × blocking + first-use files (${kb(1.2 * blocking + lazy)}): ${verdict(total <= 1.2 * blocking + lazy)}; < 3 s: ${verdict(time < 3000)} |`,
    );
  }
  proxy.close();
  await api(serverUrl, '/sync/push', { token, body: { mutations: subbotniks(500).mutations } });
  const page = '/api/v1/sync/pull?after=0&limit=500';
  const plain = await wireBytes(serverUrl, page, token, 'identity');
  const gzip = await wireBytes(serverUrl, page, token, 'gzip');
  const br = await wireBytes(serverUrl, page, token, 'gzip, deflate, br');
  log(`a pull page of 500 records: ${kb(plain.bytes)} plain, ${kb(gzip.bytes)} ${gzip.encoding}, ${kb(br.bytes)} ${br.encoding}`);
  rows.push(`| a pull page of 500 records (\`/sync/pull\`), on the wire | ${kb(br.bytes)} with ${br.encoding} (${kb(gzip.bytes)} with ${gzip.encoding}) | ${kb(plain.bytes)} uncompressed | | |`);
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
