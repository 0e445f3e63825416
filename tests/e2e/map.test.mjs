// The map of sites against a server serving the MBTiles fixture (the tests never reach the
// internet): sites made offline appear on it, points at one spot open from their cluster,
// filters change the markers and live in the link, the picker sets a site's point, and an area
// downloaded online shows its street map offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  api,
  DESKTOP,
  hlc,
  openDevice,
  screenshot,
  seriousA11yViolations,
  serverPerFile,
  serverRecords,
  settle,
  signIn,
  testUuid,
  valuesOf,
  waitForServiceWorker,
} from './support.mjs';
import { tileOf, writeMbtiles } from './mbtiles.mjs';

/** The fixture's street map: central Kemerovo at zooms 10 to 16. */
const MAP_BOX = [[55.33, 86.04], [55.38, 86.12]];

const server = serverPerFile(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'dvor-tiles-')), 'kemerovo.mbtiles');
  await writeMbtiles(file, { box: MAP_BOX, minZoom: 10, maxZoom: 16 });
  return { args: ['--mbtiles', file] };
});

/** One spot in a yard where three sites stand (a yard, its flower bed, its entrance). */
const SPOT = { lat: 55.3547, lng: 86.0873 };
const THIS_YEAR = new Date().getFullYear();

/** Sites and their work, put on the server as other devices would have sent them. */
async function seedSites() {
  const stamp = hlc(Date.now() - 60_000, 0, 0x3a9);
  const field = (value) => ({ value, hlc: stamp });
  const site = (n, name, kind, lat, lng) => ({
    id: testUuid('5170', n),
    kind: 'site',
    author: 'user:1',
    owner: { committee: 1 },
    deleted: field(false),
    fields: {
      name: field(name),
      site_kind: field(kind),
      address: field(null),
      location: field({ lat_e6: Math.round(lat * 1e6), lon_e6: Math.round(lng * 1e6) }),
      outline: field(null),
    },
  });
  const work = (n, siteN, kind, date, bags) => ({
    id: testUuid('3070', n),
    kind: 'activity',
    author: 'user:1',
    owner: { committee: 1 },
    deleted: field(false),
    fields: {
      kind: field(kind),
      date: field(date),
      site: field(testUuid('5170', siteN)),
      'measures.participants': field(12),
      'measures.bags': field(bags),
      'measures.area_m2': field(null),
    },
  });
  const changes = [
    site(1, 'Двор на Весенней, 5', 'yard', SPOT.lat, SPOT.lng),
    site(2, 'Клумба у подъезда', 'flower_bed', SPOT.lat, SPOT.lng),
    site(3, 'Подъезд № 2', 'entrance', SPOT.lat, SPOT.lng),
    site(4, 'Сквер Волкова', 'public_space', 55.3601, 86.0702),
    site(5, 'Берег Томи', 'riverbank', 55.3452, 86.1004),
    work(1, 1, 'cleanup_day', `${THIS_YEAR}-05-16`, 40),
    work(2, 4, 'cleanup_day', `${THIS_YEAR - 1}-09-20`, 15),
  ];
  const body = await api(server.url, '/sync/push', {
    token: await server.token(),
    body: { mutations: changes.map((change, n) => ({ mutation_id: testUuid('f170', n), change })) },
  });
  assert.ok(body.results.every((r) => r.outcome === 'applied'), JSON.stringify(body));
}

/** How many sites the map shows, once it has drawn them. */
const shownSites = (page) => page.locator('[data-testid=map]').getAttribute('data-sites').then(Number);

/** Waits until the map shows `n` sites. */
async function waitForSites(page, n) {
  await page.waitForFunction((n) => document.querySelector('[data-testid=map]')?.dataset.sites === String(n), n);
}

test('sites made offline are on the map; clusters open; filters and the link agree; the picker places a site', { timeout: 240_000 }, async () => {
  await seedSites();
  const phone = await openDevice('map-phone');
  try {
    const { page, context } = phone;
    await context.grantPermissions(['geolocation'], { origin: server.url });
    await context.setGeolocation({ latitude: 55.3561, longitude: 86.0801, accuracy: 25 });
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await settle([page], server);
    // The map's code and settings come once with the network; from then on the map needs none.
    await page.getByRole('link', { name: 'Карта' }).click();
    await waitForSites(page, 5);
    await context.setOffline(true);

    // A new site placed offline: GPS first (its accuracy drawn), then the pin dragged aside.
    await page.getByRole('link', { name: 'Объекты' }).click();
    await page.getByRole('link', { name: 'Новый объект' }).click();
    await page.getByLabel('Название').fill('Детская площадка');
    await page.getByLabel('Вид объекта').selectOption({ label: 'Школьная спортплощадка' });
    await page.locator('select#owner').selectOption({ label: 'Забойщик' });
    const picker = page.locator('[data-testid=location-picker]');
    await page.locator('[data-testid=location-picker].leaflet-container').waitFor();
    await page.getByRole('button', { name: 'Я здесь' }).click();
    await page.getByText('55,35610; 86,08010 (точность ±25 м)').waitFor();
    await picker.locator('path.accuracy').waitFor();
    const pin = picker.locator('.pin-picked');
    await picker.scrollIntoViewIfNeeded();
    const box = await pin.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 30, { steps: 8 });
    await page.mouse.up();
    await assert.doesNotReject(() => page.waitForFunction(() => !document.querySelector('[data-testid=location]').textContent.includes('±25')));
    const placed = await page.locator('[data-testid=location]').textContent();
    assert.match(placed, /^55,35\d{3}; 86,08\d{3}$/, 'a dragged pin has no GPS accuracy');
    assert.equal(await picker.locator('path.accuracy').count(), 0);
    await screenshot(page, 'map-picker-phone');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Детская площадка' }).waitFor();

    // Offline, the map shows it with the others, and the three at one spot as one cluster.
    await page.getByRole('link', { name: 'На карте' }).click();
    await waitForSites(page, 6);
    await page.getByRole('link', { name: 'Карта' }).click();
    await waitForSites(page, 6);
    await page.goto(`${server.url}/map?at=${SPOT.lat},${SPOT.lng}&z=16`);
    await waitForSites(page, 6);
    const cluster = page.locator('.cluster', { hasText: '3' });
    await cluster.waitFor();
    // A finger's tap, as on a phone, and a person's pause before the next (two quick taps
    // are a double tap, which zooms the map in).
    const tap = async (target) => {
      await target.tap();
      await page.waitForTimeout(400);
    };
    await tap(cluster);
    // Spread out, the three can each be opened.
    await page.waitForFunction(() => document.querySelectorAll('.leaflet-marker-pane .pin').length >= 3);
    await tap(page.getByRole('button', { name: 'Клумба у подъезда' }));
    const popup = page.locator('.leaflet-popup');
    await popup.getByRole('link', { name: 'Клумба у подъезда' }).waitFor();
    await popup.getByText('Работ здесь ещё не было').waitFor();
    await tap(popup.getByRole('button', { name: 'Закрыть' }));
    await popup.waitFor({ state: 'detached' });
    // Touching the map folds the spread sites back into their cluster.
    if (await cluster.isVisible()) await tap(cluster);
    await tap(page.getByRole('button', { name: 'Двор на Весенней, 5' }));
    await popup.getByText(`Последняя работа: 16 мая ${THIS_YEAR}, Субботник`).waitFor();
    await popup.getByText('Мешки с мусором: 40').waitFor();
    // The popup fades in and the map pans to hold it.
    await page.waitForTimeout(600);
    await screenshot(page, 'map-spiderfied-phone', { fullPage: false });

    // Filters change the markers and the link; the link alone brings them back.
    await page.getByText('Отбор', { exact: true }).click();
    await page.locator('#map-site-kind').selectOption({ label: 'Клумба' });
    await waitForSites(page, 1);
    assert.match(page.url(), /site_kind=flower_bed/);
    await page.locator('#map-site-kind').selectOption({ label: 'Все' });
    await waitForSites(page, 6);
    await page.locator('#map-idle').fill(`${THIS_YEAR}-01-01`);
    await waitForSites(page, 5);
    await page.locator('#map-kind').selectOption({ label: 'Субботник' });
    await page.locator('#map-from').fill(`${THIS_YEAR - 1}-01-01`);
    await page.locator('#map-idle').fill('');
    await waitForSites(page, 2);
    await page.getByLabel('Тепловая карта работ').check();
    await page.locator('.leaflet-heatmap-layer').waitFor();
    const link = page.url();
    assert.match(link, /kind=cleanup_day/);
    assert.match(link, /heat=1/);
    await page.goto(`${server.url}/`);
    await page.goto(link);
    await waitForSites(page, 2);
    assert.equal(await page.locator('#map-kind').inputValue(), 'cleanup_day');
    assert.equal(await shownSites(page), 2);
    await page.locator('.leaflet-heatmap-layer').waitFor();

    assert.deepEqual(await seriousA11yViolations(page), []);
    await context.setOffline(false);
    await settle([page], server);
    const sites = (await serverRecords(server)).filter((r) => r.kind === 'site').map(valuesOf);
    const made = sites.find((s) => s.name === 'Детская площадка');
    assert.ok(made, 'the site made offline reached the server');
    assert.equal(made.location.accuracy_m, undefined);
    assert.ok(Math.abs(made.location.lat_e6 - 55_356_100) < 3_000 && made.location.lat_e6 !== 55_356_100, `${made.location.lat_e6}`);
  } finally {
    await phone.close();
  }
});

test('an area downloaded online shows its street map offline; with none the sites stand on a plain background', { timeout: 240_000 }, async () => {
  const desk = await openDevice('map-desktop', DESKTOP);
  try {
    const { page, context } = desk;
    await signIn(page, server.url);
    await waitForServiceWorker(page);
    await settle([page], server);
    await page.goto(`${server.url}/map`);
    await waitForSites(page, 6);
    await page.locator('img.leaflet-tile-loaded').first().waitFor();
    // Once the view has settled on the sites.
    await page.waitForFunction(() => /[?&]z=1[3-6]/.test(location.search));
    await page.waitForTimeout(500);
    await screenshot(page, 'map-desktop', { fullPage: false });
    // With street tiles the map carries their attribution: its links must read as links.
    const attribution = page.locator('.leaflet-control-attribution a');
    await attribution.first().waitFor();
    const decorations = await attribution.evaluateAll((links) => links.map((a) => getComputedStyle(a).textDecorationLine));
    assert.ok(decorations.every((d) => d.includes('underline')), `attribution links underlined: ${decorations}`);
    assert.deepEqual(await seriousA11yViolations(page), [], 'axe on the map with its tiles and attribution');

    // The tiles this screen has seen are kept, the least recently used first to go.
    const evicted = await page.evaluate(async () => {
      const cache = await caches.open('lru-test');
      for (const n of [1, 2, 3]) await self.dvorTiles.remember(cache, `/t/${n}`, new Response(String(n)), 3);
      const first = await cache.match('/t/1');
      await self.dvorTiles.touch(cache, '/t/1', first);
      await self.dvorTiles.remember(cache, '/t/4', new Response('4'), 3);
      const left = (await cache.keys()).map((r) => new URL(r.url).pathname);
      await caches.delete('lru-test');
      return left;
    });
    assert.deepEqual(evicted, ['/t/3', '/t/1', '/t/4'], 'the tile used least recently went');

    // The whole city, as an admin's area: its size is told before anything is fetched.
    await page.getByText('Карта без сети').click();
    const area = page.locator('[data-area=city]');
    await area.getByText(/плиток: [\d\u202f]+, около [\d,\u202f]+ (КБ|МБ)/).waitFor();
    await area.getByRole('button', { name: 'Скачать: Весь город' }).click();
    await page.getByText(/Скачано \d+/).or(page.getByText(/^Сохранено/).first()).first().waitFor();
    await area.getByText(/^Сохранено .*плиток [\d\u202f]+/).waitFor({ timeout: 120_000 });
    await area.scrollIntoViewIfNeeded();
    await screenshot(page, 'map-area-downloaded', { fullPage: false });
    const kept = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith('dvor-tiles-area:city:'));
      return names.length === 1 ? (await (await caches.open(names[0])).keys()).length : -names.length;
    });
    assert.ok(kept > 100, `the area's tiles are kept (${kept})`);

    // Offline, at a zoom and place this device never showed: the downloaded tiles appear.
    await context.setOffline(true);
    const corner = tileOf(MAP_BOX[1][0] - 0.004, MAP_BOX[0][1] + 0.004, 14);
    assert.ok(corner.x > 0);
    await page.goto(`${server.url}/map?at=${MAP_BOX[1][0] - 0.006},${MAP_BOX[0][1] + 0.008}&z=14`);
    await waitForSites(page, 6);
    await page.locator('img.leaflet-tile-loaded').first().waitFor();
    const tiles = await page.locator('img.leaflet-tile-loaded').evaluateAll((imgs) => imgs.map((i) => i.src));
    assert.ok(tiles.some((src) => src.includes('/api/v1/tiles/14/')), tiles.join(' '));
    assert.equal(await page.getByText('Подложка карты недоступна').count(), 0);
    await screenshot(page, 'map-offline-area', { fullPage: false });

    // Far outside anything kept: no street map, a notice, and the sites still drawn.
    await page.goto(`${server.url}/map?at=55.47,86.25&z=17`);
    await page.getByText('Подложка карты недоступна').waitFor();
    assert.equal(await shownSites(page), 6);
    await screenshot(page, 'map-no-tiles', { fullPage: false });
  } finally {
    await desk.close();
  }
});
