// What the benchmarks share: Двор servers with the test city on free ports, fresh headless
// Chromium profiles, the subbotniks they move, and the performance measures the app records.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';
import { adminToken, prepareCity } from '../../tests/e2e/city.mjs';
import { freePort } from '../../tests/e2e/ports.mjs';

export { freePort };

const SERVER_BIN = process.env.DVOR_SERVER_BIN;
const DIST = process.env.DVOR_DIST;
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Progress, on stderr: stdout carries the table. */
export const log = (...args) => console.error('bench:', ...args);

/** A scratch directory and the processes of one benchmark run, removed by `cleanUp`. */
export const temp = mkdtempSync(join(tmpdir(), 'dvor-bench-'));
const children = [];
let stopping = false;

/** Stops every server the run started and removes its files. */
export function cleanUp() {
  stopping = true;
  for (const child of children) child.kill('SIGKILL');
  rmSync(temp, { recursive: true, force: true });
}

/** Starts `bin` with `args`; it is stopped by `cleanUp`. */
export function keep(bin, args, options = {}) {
  // Its log goes to a file, shown if it stops on its own: a server that died mid-run would
  // otherwise leave the benchmark waiting for an answer that never comes, with nothing said.
  const logFile = join(temp, `${basename(bin)}-${children.length}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd], ...options });
  closeSync(fd);
  child.on('exit', (code, signal) => {
    if (stopping || child.killed) return;
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    log(`${basename(bin)} ${args.join(' ')} stopped on its own (${signal ?? `exit ${code}`}); the end of its log:\n${lines.slice(-20).join('\n')}`);
  });
  children.push(child);
  return child;
}

/** Waits until `url` answers. */
export async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not come up`);
}

/** A Двор server with the test city; its URL and an admin token. */
export async function startDvor(name) {
  const port = await freePort();
  const dataDir = join(temp, name);
  await prepareCity(SERVER_BIN, dataDir, temp);
  keep(SERVER_BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--static-dir', DIST]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v1/health`);
  return { url, token: await adminToken(url) };
}

/** A fresh Chromium profile, started with `args` besides the usual, and its page. */
export async function browser(args = []) {
  const dir = mkdtempSync(join(temp, 'profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...args] });
  context.setDefaultTimeout(600_000);
  return { context, page: context.pages()[0] ?? (await context.newPage()) };
}

const hlc = (wall, node) => `${String(wall).padStart(13, '0')}-00000-${node.toString(16).padStart(16, '0')}`;
const uuid = (group, n) => `019a0000-${group}-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** `count` subbotniks by the admin: their values, and Двор's mutations creating them. */
export function subbotniks(count) {
  const today = new Date().toISOString().slice(0, 10);
  const values = [];
  for (let n = 0; n < count; n++) {
    values.push({
      id: uuid('0000', n),
      kind: 'cleanup_day',
      date: today,
      site_address: `ул. Весенняя, ${n + 1}`,
      participants: 1 + (n % 40),
      bags: n % 70,
    });
  }
  const node = 0xbe7c;
  const stamp = hlc(Date.now() - 60_000, node);
  const field = (value) => ({ value, hlc: stamp });
  const mutations = values.map((v, n) => ({
    mutation_id: uuid('f000', n),
    change: {
      id: v.id,
      kind: 'activity',
      author: 'user:1',
      owner: { committee: 1 + (n % 3) },
      deleted: field(false),
      fields: {
        kind: field(v.kind),
        date: field(v.date),
        site_address: field(v.site_address),
        'measures.participants': field(v.participants),
        'measures.bags': field(v.bags),
        'measures.area_m2': field(null),
      },
    },
  }));
  return { values, mutations };
}

/** The durations of the performance measures called `name` the page has recorded, in ms. */
export const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);

export const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const verdict = (ok) => (ok ? 'met' : 'NOT met');
