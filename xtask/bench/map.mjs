// The map benchmark of `cargo xtask bench`: how long the map takes to place 5 000 sites in
// their clusters (from handing them to the map to the last marker placed, as the page measures
// it: `dvor:map-sites`), and the whole open of the map screen beside it, in headless Chromium
// slowed to a quarter of its CPU speed. Prints a Markdown table on stdout (the last thing it
// prints), progress on stderr.
import { api, signIn } from '../../tests/e2e/city.mjs';
import { browser, cleanUp, log, startDvor, verdict } from './common.mjs';

const SITES = Number(process.env.DVOR_BENCH_MAP_SITES || 5_000);
const THROTTLING = 4;
const KINDS = ['yard', 'flower_bed', 'public_space', 'school_sports_ground', 'riverbank', 'entrance', 'other'];

const ms = (value) => `${value.toFixed(1)} ms`;
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/** `count` sites spread over the city (every tenth sharing a spot with the one before). */
function siteMutations(count) {
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const stamp = `${String(Date.now() - 60_000).padStart(13, '0')}-00000-${(0x3a9).toString(16).padStart(16, '0')}`;
  const field = (value) => ({ value, hlc: stamp });
  const mutations = [];
  let point = null;
  for (let n = 0; n < count; n++) {
    if (n % 10 !== 1 || !point) point = { lat_e6: Math.round((55.27 + random() * 0.2) * 1e6), lon_e6: Math.round((85.95 + random() * 0.3) * 1e6) };
    const hex = n.toString(16).padStart(12, '0');
    mutations.push({
      mutation_id: `019a0000-f5e0-7000-8000-${hex}`,
      change: {
        id: `019a0000-5e00-7000-8000-${hex}`,
        kind: 'site',
        author: 'user:1',
        owner: { committee: 1 + (n % 3) },
        deleted: field(false),
        fields: {
          name: field(`Объект № ${n + 1}`),
          site_kind: field(KINDS[n % KINDS.length]),
          address: field(null),
          location: field(point),
          outline: field(null),
        },
      },
    });
  }
  return mutations;
}

try {
  const { url, token } = await startDvor('map');
  const mutations = siteMutations(SITES);
  for (let i = 0; i < mutations.length; i += 500) {
    await api(url, '/sync/push', { token, body: { mutations: mutations.slice(i, i + 500) } });
  }
  const { context, page } = await browser();
  log(`a device pulls ${SITES} sites`);
  await signIn(page, url);
  await page.waitForFunction(() => performance.getEntriesByName('dvor:pull').length > 0, null, { polling: 500, timeout: 600_000 });
  // The map's code is fetched once, as on a phone that opened the map before.
  await page.goto(`${url}/map`);
  await page.waitForFunction(() => performance.getEntriesByName('dvor:map-sites').length > 0, null, { polling: 200 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLING });

  log(`the map places ${SITES} sites in clusters, CPU ${THROTTLING}× slower`);
  const places = [];
  const opens = [];
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await page.waitForFunction((n) => document.querySelector('[data-testid=map]')?.dataset.sites === String(n), SITES, { polling: 200, timeout: 120_000 });
    // The placing of all the sites (an earlier one may have placed none, before the device's
    // records were read).
    const entry = await page.evaluate((n) => {
      const all = performance.getEntriesByName('dvor:map-sites').filter((e) => e.detail?.sites === n);
      return all.length === 1 ? { duration: all[0].duration, end: all[0].startTime + all[0].duration } : null;
    }, SITES);
    if (!entry) throw new Error(`the map did not place ${SITES} sites exactly once`);
    places.push(entry.duration);
    opens.push(entry.end);
  }
  await context.close();
  const place = median(places);
  const rows = [
    `| work (headless Chromium, CPU ${THROTTLING}× slower) | Двор | goal |`,
    '|---|---:|---|',
    `| placing ${SITES.toLocaleString('en').replace(/,/g, ' ')} sites in clusters on the map, median of 5 | ${ms(place)} | < 300 ms: ${verdict(place < 300)} |`,
    `| the whole open of the map screen after a reload: app, store, records, map code, sites placed (median of 5) | ${ms(median(opens))} | |`,
  ];
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
