// Shared helpers of the end-to-end tests: a real dvor-server on a free port with its own SQLite
// file and its own copy of the built app, and "devices" that are separate browser profiles in the
// engine `DVOR_ENGINE` names (Chromium by default).
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './ports.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { after, before } from 'node:test';
import { chromium, firefox } from 'playwright-core';
import { adminToken, api, prepareCity } from './city.mjs';
import { launchWebKit } from './webdriver.mjs';

export { ADMIN, api, joinByInvite, signIn } from './city.mjs';

const require = createRequire(import.meta.url);

const SERVER_BIN = required('DVOR_SERVER_BIN');
const DIST = required('DVOR_DIST');
const OUTPUT = required('DVOR_TEST_OUTPUT');
/** The browser engine the devices run: chromium, firefox or webkit. */
export const ENGINE = process.env.DVOR_ENGINE || 'chromium';
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--lang=ru-RU',
];

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`cargo xtask test\``);
  return value;
}


/**
 * Starts dvor-server with a fresh data directory holding the test city and its admin, and a
 * private copy of the built app; `args` are more of its flags. The returned server can be killed
 * (SIGKILL, as a crash) and started again on the same port and data; `token()` is an admin
 * session for direct API calls.
 */
export async function startServer({ args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dvor-e2e-'));
  const staticDir = join(dir, 'dist');
  cpSync(DIST, staticDir, { recursive: true });
  const dataDir = join(dir, 'data');
  await prepareCity(SERVER_BIN, dataDir, dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child = null;
  let token = null;
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)));
  const server = {
    url,
    staticDir,
    /** Runs one of dvor-server's commands (`backup`, `restore`…) on this server's data. */
    async command(...commandArgs) {
      const run = spawn(SERVER_BIN, ['--data-dir', dataDir, ...commandArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
      let said = '';
      run.stdout.on('data', (chunk) => (said += chunk));
      run.stderr.on('data', (chunk) => (said += chunk));
      const code = await new Promise((resolve) => run.once('exit', resolve));
      if (code !== 0) throw new Error(`dvor-server ${commandArgs.join(' ')} failed: ${said}`);
      return said;
    },
    /**
     * Stops the server and brings it back on the same port from the copy in `backupDir`, as an
     * admin restores a city into a fresh data directory; the data it had is set aside.
     */
    async restoreFrom(backupDir) {
      await this.kill();
      renameSync(dataDir, `${dataDir}-before-restore`);
      const said = await this.command('restore', '--from', backupDir);
      await this.start();
      return said;
    },
    async start() {
      child = spawn(SERVER_BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--static-dir', staticDir, ...args], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
      });
      for (let i = 0; i < 200; i++) {
        try {
          if ((await fetch(`${url}/api/v1/health`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGKILL');
      throw new Error(`dvor-server did not start on ${url}`);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited();
    },
    async token() {
      token ??= await adminToken(url);
      return token;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/**
 * One server for all the tests of a file: started before them and stopped after. The object is
 * filled in when the server has started; `options()` may give `startServer` its options.
 */
export function serverPerFile(options = () => ({})) {
  const server = {};
  before(async () => Object.assign(server, await startServer(await options())));
  after(async () => server.stop?.());
  return server;
}

/**
 * One device for all the tests of a file: opened before them and closed after. The object is
 * filled in when the device is open; `screen` is `openDevice`'s.
 */
export function devicePerFile(name, screen = {}) {
  const device = {};
  before(async () => Object.assign(device, await openDevice(name, screen)));
  after(async () => device.close?.());
  return device;
}

/** A desktop computer's screen, for `openDevice`. */
export const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };

/**
 * A phone (or, given `DESKTOP`, a computer): its own Chromium profile (so its own IndexedDB,
 * cache and service worker), a mobile viewport and Russian locale. A persistent context,
 * because installability checks report "in-incognito" otherwise.
 */
export async function openDevice(name, screen = {}) {
  const profile = mkdtempSync(join(tmpdir(), `dvor-${name}-`));
  const options = {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    ...screen,
    locale: 'ru-RU',
    timezoneId: 'Asia/Novokuznetsk',
  };
  const context = await launch(profile, options);
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error));
  // The server's Content-Security-Policy must let the app run whole: any refusal fails the test.
  const refused = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) refused.push(message.text());
  });
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (refused.length > 0) throw new Error(`[${name}] the page broke its CSP: ${refused.join(' | ')}`);
    },
  };
}

/**
 * The options of a test that needs what only Chromium offers (its DevTools protocol: network
 * throttling, the installability check): skipped in the other engines, saying why.
 */
export function chromiumOnly(why) {
  return ENGINE === 'chromium' ? {} : { skip: `Chromium only: ${why}` };
}

/** A browser of `ENGINE` on `profile`, as a Playwright context. */
async function launch(profile, options) {
  switch (ENGINE) {
    case 'chromium':
      return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, ...options });
    case 'firefox': {
      // Debian's Firefox ESR through its WebDriver BiDi channel, which has no mobile mode.
      const { isMobile, ...rest } = options;
      return firefox.launchPersistentContext(profile, {
        channel: 'moz-firefox',
        executablePath: '/usr/bin/firefox-esr',
        headless: true,
        ...rest,
      });
    }
    case 'webkit':
      return launchWebKit(options);
    default:
      throw new Error(`DVOR_ENGINE=${ENGINE}: chromium, firefox or webkit`);
  }
}

/**
 * Takes the device off the network and waits until the app says so. Chromium and Firefox tell
 * the page; WebKit under WebDriver cannot be told (its network is cut at its proxy), so the app
 * learns it as a phone behind a dead link does: at its next sync, started here by its button.
 */
export async function goOffline({ page, context }) {
  await context.setOffline(true);
  if (ENGINE === 'webkit') await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
  await page.getByText('Нет сети', { exact: true }).waitFor();
}

/** Waits until the service worker controls the page, so the app works offline. */
export async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** Saves a screenshot under the test output folder, to be looked at. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(OUTPUT, { recursive: true });
  // The caret left as it is: hiding it injects a style element, which the app's CSP refuses in
  // Firefox.
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage, caret: 'initial' });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page) {
  // Evaluated, not added as a script tag: the app's CSP refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Counts the person's taps on `page` from now on: every pointer press the browser takes for a real
 * one (Playwright's clicks make one; its `fill` and `selectOption` do not, so a journey taps a
 * field before typing). Presses, not clicks: a tap on a label clicks its input too. Kept in
 * `sessionStorage`, so a reload keeps the count. Returns the counter.
 */
export async function countTaps(page) {
  const install = () => {
    if (window.__tapCounter) return;
    window.__tapCounter = true;
    document.addEventListener(
      'pointerdown',
      (event) => {
        if (event.isTrusted) sessionStorage.setItem('taps', String(Number(sessionStorage.getItem('taps') ?? 0) + 1));
      },
      true,
    );
  };
  await page.addInitScript(install);
  await page.evaluate(install);
  await page.evaluate(() => sessionStorage.setItem('taps', '0'));
  let outside = 0;
  return {
    /** Taps so far, with those made outside the page (a camera's shutter). */
    count: async () => outside + Number(await page.evaluate(() => sessionStorage.getItem('taps') ?? 0)),
    /** A tap the page cannot see: the camera app's shutter, a permission prompt. */
    outside: () => {
      outside += 1;
    },
    reset: async () => {
      outside = 0;
      await page.evaluate(() => sessionStorage.setItem('taps', '0'));
    },
  };
}

/** Types `text` into `field` as a person does: a tap on it, then the keys. */
export async function tapAndType(page, field, text) {
  await field.click();
  await field.press('ControlOrMeta+a');
  await page.keyboard.type(String(text));
}

/**
 * The interactive elements on screen smaller than 44×44 CSS px, each as "what (w×h)". A link
 * inside a sentence is exempt (WCAG 2.5.8's inline exception), and so is a control drawn by its
 * label (a checkbox in a chip, a hidden file input): the label is measured instead.
 */
export async function smallTargets(page) {
  return page.evaluate(() => {
    const MIN = 44;
    const found = [];
    const seen = new Set();
    const visible = (el) => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
    };
    const inSentence = (el) => {
      if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
      const block = el.parentElement;
      return block !== null && block.textContent.trim().length > el.textContent.trim().length;
    };
    const selector = 'a[href], button, input, select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';
    for (const el of document.querySelectorAll(selector)) {
      if (el.closest('[aria-hidden="true"], [inert]')) continue;
      const target = el.closest('label') ?? el;
      if (seen.has(target) || !visible(target) || inSentence(target)) continue;
      seen.add(target);
      // A checkbox and its label beside it are one target: a tap on either ticks it. A link
      // stretched over its card by an ::after box is as big as the card.
      const stretched = getComputedStyle(target, '::after').position === 'absolute' ? target.closest('.card') : null;
      const boxes = [target, ...(target.labels ?? []), ...(stretched ? [stretched] : [])].filter(visible).map((e) => e.getBoundingClientRect());
      const box = {
        top: Math.min(...boxes.map((b) => b.top)),
        bottom: Math.max(...boxes.map((b) => b.bottom)),
        width: Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left)),
        height: Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top)),
      };
      // Scrolled out of the page's width (a table's column) still counts; off-screen banners do not.
      if (box.bottom < 0 || box.top > document.documentElement.scrollHeight) continue;
      if (box.width + 0.5 < MIN || box.height + 0.5 < MIN) {
        const name = (target.getAttribute('aria-label') ?? target.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        found.push(`${target.tagName.toLowerCase()}${target.className ? '.' + String(target.className).split(' ')[0] : ''} «${name}» (${Math.round(box.width)}×${Math.round(box.height)})`);
      }
    }
    return found;
  });
}

/**
 * What sticks out of the screen's width, making a phone scroll sideways (and shrink the page):
 * the outermost elements reaching past it, each as "what (right edge)"; none when it fits.
 */
export async function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const found = [];
    const scrolls = (el) => getComputedStyle(el).overflowX !== 'visible';
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right <= width + 0.5 || getComputedStyle(el).position === 'fixed') continue;
      // What a box of its own scrolls sideways (a chart, a map) stays within that box.
      let inside = el.parentElement;
      while (inside && inside !== document.body && !scrolls(inside)) inside = inside.parentElement;
      if (inside && inside !== document.body) continue;
      // The outermost: its parent fits.
      if (el.parentElement.getBoundingClientRect().right <= width + 0.5) {
        found.push(`${el.tagName.toLowerCase()}.${el.classList[0] ?? ''} (${Math.round(box.right)} > ${width})`);
      }
    }
    return found;
  });
}

/** The heading each screen shows (whole, or a pattern), by its path. */
export const HEADING = {
  '/': 'Записи',
  '/new': 'Что записать?',
  '/new/cleanup_day': 'Новый субботник',
  '/sites': 'Объекты',
  '/sites/new': 'Новый объект',
  '/map': 'Карта объектов',
  '/report': 'Отчёт о работе ТОС и ЦРН',
  '/inventory': 'Склад и прокат',
  '/inventory/loans': 'Выдано сейчас',
  '/inventory/lend': 'Выдача',
  '/inventory/add': 'Добавить предметы',
  '/inventory/count': /^Инвентаризация — /,
  '/account': 'Учётная запись',
  '/audit': 'Журнал действий',
  '/install': 'Установить приложение',
  '/signin': 'Вход',
  '/join': 'Вход по приглашению',
  '/reset': 'Новый пароль по коду',
};

/** The phone and tablet screens every screen is checked on. */
export const SCREENS = {
  small: { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  tablet: { viewport: { width: 800, height: 1280 }, deviceScaleFactor: 1.5, isMobile: true, hasTouch: true },
};

/** `count` different JPEG photos, drawn in the page as a camera would hand them over. */
export async function photos(page, count, seed) {
  const encoded = await page.evaluate(
    async ({ count, seed }) => {
      const files = [];
      for (let i = 0; i < count; i++) {
        const canvas = new OffscreenCanvas(2400, 1800);
        const context = canvas.getContext('2d');
        context.fillStyle = `hsl(${(seed * 47 + i * 113) % 360} 60% 45%)`;
        context.fillRect(0, 0, 2400, 1800);
        context.fillStyle = '#fff';
        context.font = '200px sans-serif';
        context.fillText(`${seed}-${i}`, 200, 900);
        const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
        files.push(Array.from(new Uint8Array(await blob.arrayBuffer())));
      }
      return files;
    },
    { count, seed },
  );
  return encoded.map((bytes, i) => ({ name: `IMG_${seed}_${i}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(bytes) }));
}

/** The committee or centre field of the activity form. */
export const OWNER_FIELD = 'Комитет ТОС или ЦРН';

/**
 * Fills the open activity form the way a person would: `owner` (by name) if it is offered, else
 * the first committee or centre offered,
 * the first variant, a club's name or the club a meeting belongs to, `site` (by name) where the
 * committee has it or else an address, and 3 of every count. Does not save.
 */
export async function fillKindForm(page, { owner, site } = {}) {
  const owners = page.locator('select#owner');
  if (owner && (await owners.locator('option', { hasText: owner }).count()) > 0) {
    await owners.selectOption({ label: owner });
  }
  for (const id of ['owner', 'variant', 'part_of']) {
    const select = page.locator(`select#${id}`);
    if ((await select.count()) === 0 || (await select.inputValue()) !== '') continue;
    await select.selectOption({ index: 1 });
  }
  const title = page.locator('#title');
  if ((await title.count()) > 0) await title.fill('Умелые руки');
  const sites = page.locator('select#site');
  const offered = site ? await sites.locator('option', { hasText: site }).count() : 0;
  if (offered > 0) {
    await sites.selectOption({ label: site });
  } else {
    await page.locator('#site_address').fill('ул. Весенняя, 3');
  }
  for (const input of await page.locator('input[inputmode=numeric]').all()) await input.fill('3');
}

/** Fills and saves the subbotnik form from the records screen. */
export async function logSubbotnik(page, { committee = 'Забойщик', address, participants, bags }) {
  await page.getByRole('link', { name: 'Записать субботник' }).click();
  await page.getByRole('heading', { name: 'Новый субботник' }).waitFor();
  await page.getByLabel(OWNER_FIELD).selectOption({ label: committee });
  await page.getByLabel('Адрес участка').fill(address);
  await page.getByLabel('Участники').fill(String(participants));
  await page.getByLabel('Мешки с мусором').fill(String(bags));
  await page.getByRole('button', { name: 'Сохранить' }).click();
}

/**
 * Every record the server holds, as envelopes, pulled page by page as a new device of the admin
 * would, or of the person whose session is `as` (an admin does not see borrowers).
 */
export async function serverRecords(server, as) {
  const records = [];
  let cursor = 0;
  const token = as ?? (await server.token());
  for (;;) {
    const page = await api(server.url, `/sync/pull?after=${cursor}&limit=500`, { token });
    records.push(...page.changes);
    cursor = page.cursor;
    if (!page.has_more) return records;
  }
}

/** The current values of a record envelope, with its id and owner. */
export function valuesOf(record) {
  const values = { id: record.id, owner: record.owner };
  for (const [name, field] of Object.entries(record.fields)) values[name] = field.value;
  return values;
}

/** The activities the server holds and has not deleted, as plain values. */
export async function serverActivities(server) {
  return (await serverRecords(server)).filter((r) => r.kind === 'activity' && !r.deleted?.value).map(valuesOf);
}

/** A UUIDv7 in text form whose last twelve hex digits are `n` (deterministic test ids). */
export function testUuid(prefix, n) {
  return `019a0000-${prefix}-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** A hybrid logical timestamp as dvor-core writes it. */
export function hlc(wallMs, counter, node) {
  return `${String(wallMs).padStart(13, '0')}-${String(counter).padStart(5, '0')}-${node.toString(16).padStart(16, '0')}`;
}

/**
 * `count` creations of subbotniks by the admin (user 1) for committee 1, as a device with node
 * `node` would push them; ids are derived from `prefix` (four hex digits) so each batch is
 * distinct.
 */
export function subbotnikMutations(count, { prefix = '0000', node = 0x5eed } = {}) {
  const today = new Date().toISOString().slice(0, 10);
  const stamp = hlc(Date.now() - 60_000, 0, node);
  const field = (value) => ({ value, hlc: stamp });
  const mutations = [];
  for (let n = 0; n < count; n++) {
    mutations.push({
      mutation_id: testUuid(`f${prefix.slice(1)}`, n),
      change: {
        id: testUuid(prefix, n),
        kind: 'activity',
        author: 'user:1',
        owner: { committee: 1 },
        deleted: field(false),
        fields: {
          kind: field('cleanup_day'),
          date: field(today),
          site_address: field(`ул. Тестовая, ${n + 1}`),
          'measures.participants': field(1 + (n % 30)),
          'measures.bags': field(n % 50),
          'measures.area_m2': field(null),
        },
      },
    });
  }
  return mutations;
}

/** Puts `count` subbotniks on the server directly, as if other devices had sent them. */
export async function seedActivities(server, count, options = {}) {
  const mutations = subbotnikMutations(count, options);
  const token = await server.token();
  for (let start = 0; start < mutations.length; start += 500) {
    const body = await api(server.url, '/sync/push', { token, body: { mutations: mutations.slice(start, start + 500) } });
    if (body.results.some((r) => r.outcome !== 'applied')) {
      throw new Error(`seeding failed: ${JSON.stringify(body).slice(0, 500)}`);
    }
  }
}

/** Writes a backup file holding `mutations`, as «Сохранить резервную копию» would. */
export function writeBackup(path, mutations) {
  writeFileSync(path, JSON.stringify({ format: 'dvor-backup', version: 3, created_at: new Date().toISOString(), mutations }));
}

/** Puts the changes of a backup file on a device through «Восстановить». */
export async function restoreBackup(page, path) {
  await page.getByRole('link', { name: 'Ещё' }).click();
  await page.locator('input[type=file]').setInputFiles(path);
  await page.getByText('Восстановлено изменений:').waitFor();
  await page.getByRole('link', { name: 'Записи', exact: true }).click();
}

/** What a device holds: its records (as `dvor_core::replica::Replica`) and its outbox. */
export async function deviceState(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('dvor');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          // The app keeps its values as JSON text, a record's with its list order as { o, j }
          // (src/store/codec.rs, src/store/listing.rs).
          const tx = db.transaction(['records', 'unsent', 'meta']);
          const state = {};
          const read = (store, name) => {
            tx.objectStore(store).getAll().onsuccess = (e) =>
              (state[name] = e.target.result.map((value) => JSON.parse(typeof value === 'string' ? value : value.j)));
          };
          read('records', 'records');
          read('unsent', 'outbox');
          // Whether someone is signed in here, and the screen's address: never the token.
          tx.objectStore('meta').get('session').onsuccess = (e) => (state.signedIn = e.target.result !== undefined);
          state.at = location.pathname;
          tx.oncomplete = () => {
            db.close();
            resolve(state);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Syncs every device (with the button, so no backoff timer is waited for) until each has sent
 * everything and holds exactly the server's records, each once, with the same contents. Returns
 * the server's records, as the person whose session is `as` pulls them (the admin by default).
 */
export async function settle(pages, server, timeoutMs = 90_000, as = undefined) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    for (const page of pages) {
      await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click({ timeout: timeoutMs });
    }
    for (const page of pages) {
      await page.getByRole('button', { name: 'Синхронизировать сейчас' }).waitFor({ timeout: timeoutMs });
    }
    const onServer = (await serverRecords(server, as)).sort(byId);
    const ids = onServer.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'the server holds each record once');
    const problems = [];
    for (const [i, page] of pages.entries()) {
      const { records, outbox } = await deviceState(page);
      const held = records.map((r) => r.state).sort(byId);
      if (outbox.length > 0) problems.push(`device ${i}: ${outbox.length} change(s) not accepted`);
      else if (!isDeepStrictEqual(held, onServer)) problems.push(`device ${i}: records differ from the server's`);
      else if (records.some((r) => r.server !== 'same')) problems.push(`device ${i}: records not marked synced`);
    }
    if (problems.length === 0) return onServer;
    last = problems.join('; ');
    if (Date.now() > deadline) throw new Error(`devices did not settle: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The card of a record, after pressing «Показать ещё» until the list shows it (the list shows
 * 50 records at a time); fails if the list ends without it.
 */
export async function cardOf(page, recordId) {
  const card = page.locator(`.card[data-id="${recordId}"]`);
  const more = page.getByRole('button', { name: 'Показать ещё' });
  await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
  while ((await card.count()) === 0 && (await more.count()) > 0) {
    const shown = await page.locator('.card').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('.card').length > n, shown);
  }
  return card;
}

/** Opens a record's form from its card and saves it with `fields` (labels → values) changed. */
export async function editActivity(page, recordId, fields) {
  await (await cardOf(page, recordId)).getByRole('link', { name: 'Изменить' }).click();
  await page.getByRole('heading', { name: 'Изменение записи' }).waitFor();
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label).fill(String(value));
  }
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
}

/** Deletes a record from its card, confirming the question. */
export async function deleteActivity(page, recordId) {
  const card = await cardOf(page, recordId);
  page.once('dialog', (dialog) => dialog.accept());
  await card.getByRole('button', { name: 'Удалить' }).click();
  await page.locator(`.card[data-id="${recordId}"]`).waitFor({ state: 'detached' });
}
