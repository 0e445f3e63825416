// WebKit for the end-to-end tests. Playwright cannot drive Debian's WebKitGTK (it needs its own
// patched build), so this drives WebKitWebDriver over W3C WebDriver and offers the part of
// Playwright's page, locator and context API the journeys use, with Playwright's meaning: locators
// found again at every use, actions waiting until their element is there, visible and enabled,
// roles, labels and text matched as Playwright matches them. Two things WebDriver has no command
// for are done as close to the device as a test can: the network goes through a proxy of the
// device's own (`setOffline` cuts it, and the page then meets a dead link, as on a phone), and
// the position is what the page's geolocation answers.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.mjs';

const DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const POLL_MS = 100;
/** How long a script after a click may go unanswered before the click counts as a navigation. */
const NAVIGATED_MS = 3_000;

/**
 * A WebKit browser as a Playwright-shaped persistent context: one page, `setOffline`,
 * `setGeolocation`, `close`. `options` are Playwright's (`viewport`, `timezoneId`, `locale`).
 */
export async function launchWebKit(options) {
  const port = await freePort();
  const driver = spawn(DRIVER, [`--port=${port}`], {
    stdio: 'ignore',
    env: { ...process.env, TZ: options.timezoneId ?? process.env.TZ, LANGUAGE: (options.locale ?? 'ru-RU').replace('-', '_') },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/status`);
      break;
    } catch (error) {
      if (i > 100) throw new Error(`WebKitWebDriver did not start: ${error}`);
      await sleep(50);
    }
  }
  const network = new Network();
  const created = await call(base, 'POST', '/session', {
    capabilities: {
      alwaysMatch: {
        proxy: { proxyType: 'manual', httpProxy: await network.start(), noProxy: [] },
        // A question the page asks (a confirm) waits for the test's dialog handler.
        unhandledPromptBehavior: 'ignore',
        'webkitgtk:browserOptions': { args: ['--automation', '--features=+StorageAPI,+StorageAPIEstimate,+FileSystem'] },
      },
    },
  });
  const session = new Session(`${base}/session/${created.sessionId}`);
  const { width, height } = options.viewport ?? { width: 390, height: 844 };
  await session.send('POST', '/window/rect', { width, height });
  const context = new Context(session, driver, network);
  context.page = new Page(session, context);
  return context;
}

/** One WebDriver session's commands. */
class Session {
  constructor(url) {
    this.url = url;
  }

  send(method, path, body) {
    return call(this.url, method, path, body);
  }

  /** Runs `source` (a function's text) in the page with `args`; awaits what it returns. */
  run(source, ...args) {
    return this.send('POST', '/execute/sync', { script: `return (${source}).apply(null, arguments)`, args });
  }
}

async function call(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json();
  if (!response.ok) {
    const error = new Error(`WebDriver ${method} ${path}: ${answer.value?.error}: ${answer.value?.message}`);
    error.code = answer.value?.error;
    throw error;
  }
  return answer.value;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The device's network: the browser's HTTP proxy, forwarding every request to where it is
 * addressed. Offline, it takes no request and drops the connections it holds.
 */
class Network {
  constructor() {
    this.offline = false;
    this.proxy = http.createServer((req, res) => {
      if (this.offline) return req.socket.destroy();
      const target = new URL(req.url);
      const forwarded = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on('error', () => req.socket.destroy());
      req.pipe(forwarded);
    });
  }

  /** Starts listening; the proxy's address as WebDriver's `proxy` capability names it. */
  async start() {
    await new Promise((resolve) => this.proxy.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${this.proxy.address().port}`;
  }

  setOffline(offline) {
    this.offline = offline;
    if (offline) this.proxy.closeAllConnections();
  }

  async close() {
    this.proxy.closeAllConnections();
    await new Promise((resolve) => this.proxy.close(resolve));
  }
}

class Context {
  constructor(session, driver, network) {
    this.session = session;
    this.driver = driver;
    this.network = network;
    this.position = null;
    this.timeout = 30_000;
  }

  pages() {
    return [this.page];
  }

  async newPage() {
    return this.page;
  }

  setDefaultTimeout(ms) {
    this.timeout = ms;
  }

  async setOffline(offline) {
    this.network.setOffline(offline);
  }

  /** Permissions are the browser's to ask; WebKitGTK under automation grants geolocation. */
  async grantPermissions() {}

  async setGeolocation(position) {
    this.position = position;
    await this.page.answerPosition();
  }

  async close() {
    await this.session.send('DELETE', '').catch(() => {});
    this.driver.kill();
    await this.network.close();
  }
}

class Page {
  constructor(session, context) {
    this.session = session;
    this._context = context;
    this.dialogs = [];
    this.keyboard = {
      type: async (text) => {
        const active = await this.session.run(() => document.activeElement);
        await this.session.send('POST', `/element/${active[ELEMENT]}/value`, { text: String(text) });
      },
    };
  }

  context() {
    return this._context;
  }

  /** Page errors and console messages are not reported over WebDriver classic. */
  on() {}

  once(event, handler) {
    if (event === 'dialog') this.dialogs.push(handler);
  }

  async goto(url) {
    await this.session.send('POST', '/url', { url });
    await this.answerPosition();
  }

  async reload() {
    await this.session.send('POST', '/refresh', {});
    await this.answerPosition();
  }

  async setViewportSize({ width, height }) {
    await this.session.send('POST', '/window/rect', { width, height });
  }

  async url() {
    return this.session.send('GET', '/url');
  }

  /** Makes the page's geolocation answer the context's position, as a GPS fix would. */
  async answerPosition() {
    const position = this._context.position;
    if (!position) return;
    await this.session.run((p) => {
      const fix = { coords: { latitude: p.latitude, longitude: p.longitude, accuracy: p.accuracy ?? 10 }, timestamp: Date.now() };
      navigator.geolocation.getCurrentPosition = (ok) => setTimeout(() => ok(fix), 0);
    }, position);
  }

  /** Runs `fn` with `arg` in the page, or a script given as text. */
  async evaluate(fn, arg) {
    if (typeof fn === 'string') return this.session.send('POST', '/execute/sync', { script: fn, args: [] });
    return this.session.run(fn.toString(), arg);
  }

  async waitForFunction(fn, arg, { timeout } = {}) {
    await until(this._context, timeout, async () => Boolean(await this.evaluate(fn, arg)), `waitForFunction ${fn}`);
  }

  /** Waits for the next page load (a navigation the caller starts at the same time). */
  async waitForEvent(event) {
    if (event !== 'load') throw new Error(`waitForEvent('${event}') is not offered for WebKit`);
    const before = await this.evaluate(() => performance.timeOrigin);
    await until(this._context, undefined, async () => {
      const now = await this.evaluate(() => (document.readyState === 'complete' ? performance.timeOrigin : null)).catch(() => null);
      return now !== null && now !== before;
    }, 'a page load');
  }

  async screenshot({ path }) {
    // WebDriver photographs the viewport; the whole page is the document element's picture.
    const root = await this.session.run(() => document.documentElement);
    const png = await this.session.send('GET', `/element/${root[ELEMENT]}/screenshot`);
    writeFileSync(path, Buffer.from(png, 'base64'));
  }

  /** Answers a question the page asked (confirm, alert) as the registered handler says. */
  async answerDialogs() {
    let message;
    try {
      message = await this.session.send('GET', '/alert/text');
    } catch {
      return;
    }
    const handler = this.dialogs.shift();
    let answered = false;
    const dialog = {
      message: () => message,
      accept: async () => {
        answered = true;
        await this.session.send('POST', '/alert/accept', {});
      },
      dismiss: async () => {
        answered = true;
        await this.session.send('POST', '/alert/dismiss', {});
      },
    };
    if (handler) await handler(dialog);
    if (!answered) await dialog.dismiss();
  }

  locator(css, options) {
    return new Locator(this, []).locator(css, options);
  }
  getByRole(role, options) {
    return new Locator(this, []).getByRole(role, options);
  }
  getByText(text, options) {
    return new Locator(this, []).getByText(text, options);
  }
  getByLabel(text, options) {
    return new Locator(this, []).getByLabel(text, options);
  }
  getByTestId(id) {
    return new Locator(this, []).getByTestId(id);
  }
}

/** Polls `check` until it is true or the context's timeout (or `timeout`) passes. */
async function until(context, timeout, check, what) {
  const deadline = Date.now() + (timeout ?? context.timeout);
  let last;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timeout ${timeout ?? context.timeout}ms exceeded waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(POLL_MS);
  }
}

/**
 * Playwright's matching of text and names, run in the page: the elements `steps` find within
 * `roots` (the document by default).
 */
function resolve(steps, roots) {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (value, wanted, exact) => {
    const text = norm(value);
    if (wanted && wanted.regex) return new RegExp(wanted.regex, wanted.flags).test(text);
    return exact ? text === norm(wanted) : text.toLowerCase().includes(norm(wanted).toLowerCase());
  };
  const hidden = (el) => {
    if (el.closest('[aria-hidden="true"]')) return true;
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none') return true;
    }
    return getComputedStyle(el).visibility === 'hidden';
  };
  const ROLES = {
    button: 'button, input[type=button], input[type=submit], input[type=reset], [role=button]',
    link: 'a[href], [role=link]',
    heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
    checkbox: 'input[type=checkbox], [role=checkbox]',
    radio: 'input[type=radio], [role=radio]',
    textbox: 'input:not([type]), input[type=text], input[type=email], input[type=tel], input[type=search], input[type=password], textarea, [role=textbox]',
    combobox: 'select, [role=combobox]',
    img: 'img[alt], [role=img]',
    region: 'section[aria-label], section[aria-labelledby], [role=region]',
  };
  const labelText = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    if (el.labels && el.labels.length > 0) return [...el.labels].map((l) => l.textContent).join(' ');
    return null;
  };
  const nameOf = (el) => {
    const labelled = labelText(el);
    if (labelled !== null) return labelled;
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) return el.value;
    if (el.tagName === 'IMG') return el.alt;
    if (el.matches('input, textarea, select')) return el.getAttribute('placeholder') ?? el.title ?? '';
    // Text with images' alternatives, as the accessible name is computed from content.
    const copy = el.cloneNode(true);
    for (const img of copy.querySelectorAll('img[alt]')) img.replaceWith(img.alt);
    for (const gone of copy.querySelectorAll('[aria-hidden="true"]')) gone.remove();
    return copy.textContent;
  };
  const within = (roots, selector) => {
    const found = [];
    for (const root of roots) for (const el of root.querySelectorAll(selector)) if (!found.includes(el)) found.push(el);
    return found;
  };
  // Playwright's role, text and label locators also match the element they search within.
  const withRoots = (roots, selector) => [...roots.filter((r) => r !== document && r.matches(selector)), ...within(roots, selector)];
  const textOwners = (roots, wanted, exact) => {
    const found = [];
    for (const root of roots) {
      for (const el of root === document ? root.querySelectorAll('*') : [root, ...root.querySelectorAll('*')]) {
        if (['SCRIPT', 'STYLE', 'TEMPLATE'].includes(el.tagName) || found.includes(el)) continue;
        if (!matches(el.textContent, wanted, exact)) continue;
        // The innermost element holding the whole text.
        if ([...el.children].some((child) => matches(child.textContent, wanted, exact))) continue;
        found.push(el);
      }
    }
    return found;
  };
  let current = roots ?? [document];
  for (const step of steps) {
    if (step.css) current = within(current, step.css);
    else if (step.role) {
      current = withRoots(current, ROLES[step.role] ?? `[role=${step.role}]`).filter(
        (el) => !hidden(el) && (step.name === undefined || matches(nameOf(el), step.name, step.exact)),
      );
    } else if (step.text !== undefined) current = textOwners(current, step.text, step.exact);
    else if (step.label !== undefined) {
      current = withRoots(current, 'input, select, textarea, [aria-label], [aria-labelledby]').filter((el) => {
        const label = labelText(el);
        return label !== null && matches(label, step.label, step.exact);
      });
    } else if (step.hasText !== undefined) current = current.filter((el) => matches(el.textContent, step.hasText, false));
    else if (step.has) current = current.filter((el) => resolve(step.has, [el]).length > 0);
    else if (step.nth !== undefined) current = step.nth < 0 ? current.slice(step.nth).slice(0, 1) : current.slice(step.nth, step.nth + 1);
  }
  return current;
}

/** Text or a RegExp as `resolve` takes it. */
const wanted = (text) => (text instanceof RegExp ? { regex: text.source, flags: text.flags } : text);

class Locator {
  constructor(page, steps) {
    this.page = page;
    this.steps = steps;
  }

  with(step) {
    return new Locator(this.page, [...this.steps, step]);
  }
  locator(css, options) {
    return this.with({ css }).filter(options);
  }
  getByRole(role, { name, exact } = {}) {
    return this.with({ role, name: name === undefined ? undefined : wanted(name), exact });
  }
  getByText(text, { exact } = {}) {
    return this.with({ text: wanted(text), exact });
  }
  getByLabel(text, { exact } = {}) {
    return this.with({ label: wanted(text), exact });
  }
  getByTestId(id) {
    return this.with({ css: `[data-testid="${id}"]` });
  }
  filter({ hasText, has } = {}) {
    let found = this;
    if (hasText !== undefined) found = found.with({ hasText: wanted(hasText) });
    if (has !== undefined) found = found.with({ has: has.steps });
    return found;
  }
  first() {
    return this.with({ nth: 0 });
  }
  last() {
    return this.with({ nth: -1 });
  }
  nth(n) {
    return this.with({ nth: n });
  }

  async elements() {
    return this.page.session.run(resolve.toString(), this.steps);
  }

  async count() {
    // Counted in the page: handing back elements the app may be drawing anew would fail as
    // stale, when only their number is wanted.
    return this.page.session.run(`(...args) => (${resolve.toString()})(...args).length`, this.steps);
  }

  async all() {
    const count = await this.count();
    return Array.from({ length: count }, (_, n) => this.nth(n));
  }

  /** The first matching element once it is `state` (visible by default). */
  async element({ state = 'visible', timeout } = {}) {
    let found = null;
    await until(this.page.context(), timeout, async () => {
      const elements = await this.elements();
      if (state === 'detached') return elements.length === 0;
      if (state === 'attached') return (found = elements[0] ?? null) !== null;
      for (const element of elements) {
        if (await this.page.session.run((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden', element)) {
          found = element;
          break;
        }
      }
      return state === 'hidden' ? found === null : found !== null;
    }, `${JSON.stringify(this.steps)} to be ${state}`);
    return found;
  }

  async waitFor(options = {}) {
    try {
      await this.element(options);
    } catch (error) {
      // What the page showed instead, for the person reading the failure: the screen, and all
      // of the page's text (the screenshot holds only what is in view).
      const output = process.env.DVOR_TEST_OUTPUT ?? tmpdir();
      await this.page.screenshot({ path: join(output, 'webkit-wait-failed.png') }).catch(() => {});
      const text = await this.page.session.run(() => `${location.href}\n\n${document.body.innerText}`).catch(String);
      writeFileSync(join(output, 'webkit-wait-failed.txt'), text);
      throw error;
    }
  }

  async isVisible() {
    return (await this.element({ timeout: 0 }).catch(() => null)) !== null;
  }

  async click({ timeout } = {}) {
    await until(this.page.context(), timeout, async () => {
      const element = await this.element({ timeout: 0 });
      const enabled = await this.page.session.run((e) => !e.disabled && !e.closest('[inert]'), element);
      if (!enabled) return false;
      // Still where it is across two frames, and the element itself at its centre (not a bar
      // fixed over it), as Playwright checks before it clicks: a message going away above it
      // would move it under the pointer between aiming and clicking.
      const settled = await this.page.session.run(
        (e) =>
          new Promise((resolve) => {
            e.scrollIntoView({ block: 'center', inline: 'center' });
            const before = JSON.stringify(e.getBoundingClientRect());
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const box = e.getBoundingClientRect();
                const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                const ready = e.isConnected && JSON.stringify(box) === before && (hit === e || e.contains(hit));
                if (ready) {
                  window.__dvorPressed = false;
                  // A click that lands on something else is swallowed before the page sees it:
                  // it would open another record's form, say, where no test asked.
                  const watch = (event) => {
                    if (event.composedPath().includes(e)) window.__dvorPressed = true;
                    else {
                      event.preventDefault();
                      event.stopImmediatePropagation();
                    }
                  };
                  window.addEventListener('click', watch, { once: true, capture: true });
                }
                resolve(ready);
              }),
            );
          }),
        element,
      );
      if (!settled) return false;
      // A click another element would take (a bar over it, an animation) is tried again.
      await this.page.session.send('POST', `/element/${element[ELEMENT]}/click`, {});
      await this.page.answerDialogs();
      // And one that reached something else, because the page moved between aiming and
      // pressing (WebDriver's round trip is far longer than Playwright's), and was swallowed.
      // A page the click took away, or a dialog it opened, was pressed. WebKit never answers a
      // script that a navigation the click started overtakes, so no answer in time means that.
      const pressed = this.page.session.run(() => window.__dvorPressed !== false).catch(() => true);
      return Promise.race([pressed, sleep(NAVIGATED_MS).then(() => true)]);
    }, `a click on ${JSON.stringify(this.steps)}`);
  }

  /**
   * Runs `work` on the first matching element once it is `state`, finding it again when the
   * page drew it anew in between: a Playwright locator never goes stale.
   */
  async withElement(state, work) {
    for (let tries = 0; ; tries++) {
      const element = await this.element({ state });
      try {
        return await work(element);
      } catch (error) {
        if (error.code !== 'stale element reference' || tries >= 20) throw error;
      }
    }
  }

  async check() {
    const checked = await this.withElement('visible', (e) => this.page.session.run((box) => box.checked, e));
    if (!checked) await this.click();
  }

  async fill(value) {
    // Set as a person's typing would leave it, announced by `input` and `change`, like
    // Playwright's fill.
    await this.withElement('visible', (element) => this.page.session.run(
      (e, v) => {
        e.focus();
        const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(e), 'value').set;
        setter.call(e, v);
        e.dispatchEvent(new Event('input', { bubbles: true }));
        e.dispatchEvent(new Event('change', { bubbles: true }));
      },
      element,
      String(value),
    ));
  }

  async press(keys) {
    const KEYS = { Control: '\uE009', Meta: '\uE03D', ControlOrMeta: '\uE009', Enter: '\uE007', Tab: '\uE004', Escape: '\uE00C', Backspace: '\uE003' };
    const parts = keys.split('+');
    const text = parts.map((k) => KEYS[k] ?? k).join('') + (parts.length > 1 ? '\uE000' : '');
    await this.withElement('visible', (element) => this.page.session.send('POST', `/element/${element[ELEMENT]}/value`, { text }));
  }

  async selectOption(choice) {
    const chosen = await this.withElement('visible', (element) => this.page.session.run(
      (select, c) => {
        const options = [...select.options];
        const option =
          typeof c === 'string'
            ? options.find((o) => o.value === c || o.label === c)
            : c.index !== undefined
              ? options[c.index]
              : options.find((o) => (c.label !== undefined ? o.label === c.label : o.value === c.value));
        if (!option) return null;
        select.value = option.value;
        select.dispatchEvent(new Event('input', { bubbles: true }));
        select.dispatchEvent(new Event('change', { bubbles: true }));
        return option.value;
      },
      element,
      choice,
    ));
    if (chosen === null) throw new Error(`no option ${JSON.stringify(choice)} in ${JSON.stringify(this.steps)}`);
    return [chosen];
  }

  /** Files by path, or Playwright's `{ name, mimeType, buffer }`, chosen in a file input. */
  async setInputFiles(files) {
    const dir = mkdtempSync(join(tmpdir(), 'dvor-upload-'));
    const paths = [files].flat().map((file) => {
      if (typeof file === 'string') return file;
      const path = join(dir, file.name);
      writeFileSync(path, file.buffer);
      return path;
    });
    await this.withElement('attached', (element) => this.page.session.send('POST', `/element/${element[ELEMENT]}/value`, { text: paths.join('\n') }));
  }

  async evaluate(fn, arg) {
    return this.withElement('attached', (element) => this.page.session.run(`(e, a) => (${fn})(e, a)`, element, arg));
  }

  async evaluateAll(fn, arg) {
    return this.page.session.run(`(steps, a) => (${fn})((${resolve})(steps), a)`, this.steps, arg);
  }

  async allTextContents() {
    return this.evaluateAll((elements) => elements.map((e) => e.textContent));
  }
  async textContent() {
    return this.evaluate((e) => e.textContent);
  }
  async innerText() {
    return this.evaluate((e) => e.innerText);
  }
  async inputValue() {
    return this.evaluate((e) => e.value);
  }
  async getAttribute(name) {
    return this.evaluate((e, n) => e.getAttribute(n), name);
  }
  async scrollIntoViewIfNeeded() {
    await this.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  }
}
