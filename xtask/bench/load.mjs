// The load benchmark of `cargo xtask bench load`: simulated devices doing what the app does,
// against one release server on SQLite — each device, every few seconds, pushes a small batch
// (a new subbotnik, or a changed one of its own) and then pulls from its cursor, and now and
// then opens the report. Devices are volunteers of a city of 54 committees, each with its own
// session, so each pulls only its committee's records, as on a phone. The load rises in levels
// on one server whose records grow as they would; per level it reports each endpoint's
// p50/p95/p99 as the client sees them, errors, mutations applied per second, the server's and
// the generator's CPU, the server's peak RSS, and at the end the knee: the largest level that
// keeps every endpoint's p99 under 100 ms with no error. The generator and the server share
// this machine's cores.
// DVOR_LOAD_LEVELS (device counts, comma-separated) and DVOR_LOAD_SECONDS (measured seconds
// per level) change the run. Prints a Markdown table on stdout, progress on stderr.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ADMIN, PROTOCOL, api, prepareCity } from '../../tests/e2e/city.mjs';
import { cleanUp, freePort, keep, log, temp, verdict, waitFor } from './common.mjs';

const SERVER_BIN = process.env.DVOR_SERVER_BIN;
const LEVELS = (process.env.DVOR_LOAD_LEVELS || '250,500,750,1000,1500,2000,2500').split(',').map(Number);
const SECONDS = Number(process.env.DVOR_LOAD_SECONDS || 40);
/** A device's cycle: a push and a pull every five seconds on average. */
const CYCLE_MS = 5000;
/** One cycle in this many also opens the report. */
const REPORT_EVERY = 20;
const DISTRICTS = 6;
const COMMITTEES_PER_DISTRICT = 9;
const COMMITTEES = DISTRICTS * COMMITTEES_PER_DISTRICT;
const P99_GOAL_MS = 100;

const agent = new http.Agent({ keepAlive: true, maxSockets: 4096 });
let port;

/** One request to `/api/v1{path}`: its status, parsed answer and time to the last byte in ms. */
function request(method, path, { token, body, localAddress } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { ...PROTOCOL };
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const started = performance.now();
  return new Promise((resolve) => {
    const sent = http.request(
      { host: '127.0.0.1', port, method, path: `/api/v1${path}`, headers, agent: localAddress ? false : agent, localAddress },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            // an error page: the status says enough
          }
          resolve({ status: response.statusCode, json, ms: performance.now() - started, retryAfter: response.headers['retry-after'] });
        });
      },
    );
    sent.on('error', (error) => resolve({ status: `network: ${error.code || error.message}`, json: null, ms: performance.now() - started }));
    sent.end(payload);
  });
}

/** Whether `status` is a success. */
const ok = (status) => typeof status === 'number' && status >= 200 && status < 300;

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request that a busy server asked to be tried again (503 with Retry-After) is, as the app does. */
async function patiently(method, path, options) {
  for (;;) {
    const answer = await request(method, path, options);
    if (answer.status !== 503) return answer;
    await pause(1000 * Number(answer.retryAfter || 1));
  }
}

/** The city: six districts of nine committees. */
function city() {
  return {
    districts: Array.from({ length: DISTRICTS }, (_, d) => ({
      name: `Район ${d + 1}`,
      committees: Array.from({ length: COMMITTEES_PER_DISTRICT }, (_, c) => `Комитет ${d + 1}-${c + 1}`),
      centres: [],
    })),
  };
}

/** A volunteer of every committee, joined by the admin's invite; their logins. */
async function volunteers(adminToken) {
  const people = [];
  for (let committee = 1; committee <= COMMITTEES; committee++) {
    const invite = await patiently('POST', '/invites', { token: adminToken, body: { grant: { role: 'volunteer', scope: { committee } }, uses: 1, days: 1 } });
    const person = { name: `Волонтёр ${committee}`, login: `v${committee}@load.example.ru`, password: `пароль волонтёра ${committee}` };
    const joined = await patiently('POST', '/invites/join', { body: { code: invite.json.code, ...person }, localAddress: `127.0.7.${committee}` });
    if (!ok(joined.status)) throw new Error(`joining as committee ${committee}'s volunteer: ${joined.status}`);
    people.push({ ...person, committee });
  }
  return people;
}

const hlc = (wall, node) => `${String(wall).padStart(13, '0')}-00000-${node.toString(16).padStart(16, '0')}`;
const hex = (n, width) => n.toString(16).padStart(width, '0');

/** A simulated phone: its own session, node, cursor and records. */
class Device {
  constructor(index, person, token, userId) {
    this.index = index;
    this.person = person;
    this.token = token;
    this.author = `user:${userId}`;
    this.node = 0x10000 + index;
    this.cursor = 0;
    this.made = [];
    this.sequence = 0;
  }

  /** What the device's next push carries: one or two changes, a new record mostly. */
  changes() {
    const count = 1 + (Math.random() < 0.3 ? 1 : 0);
    const mutations = [];
    const stamp = hlc(Date.now(), this.node);
    const field = (value) => ({ value, hlc: stamp });
    for (let i = 0; i < count; i++) {
      const n = this.sequence++;
      const mutation_id = `019b0000-${hex(this.index, 4)}-7000-8000-${hex(n, 12)}`;
      if (this.made.length > 0 && Math.random() < 0.4) {
        const id = this.made[Math.floor(Math.random() * this.made.length)];
        mutations.push({ mutation_id, change: { id, kind: 'activity', author: this.author, owner: { committee: this.person.committee }, fields: { 'measures.bags': field(n % 90) } } });
        continue;
      }
      const id = `019a0000-${hex(this.index, 4)}-7000-8000-${hex(n, 12)}`;
      this.made.push(id);
      mutations.push({
        mutation_id,
        change: {
          id,
          kind: 'activity',
          author: this.author,
          owner: { committee: this.person.committee },
          deleted: field(false),
          fields: {
            kind: field('cleanup_day'),
            date: field(new Date().toISOString().slice(0, 10)),
            site_address: field(`ул. Весенняя, ${n + 1}`),
            'measures.participants': field(1 + (n % 30)),
            'measures.bags': field(n % 60),
            'measures.area_m2': field(null),
          },
        },
      });
    }
    return mutations;
  }
}

/** Per endpoint, the times and failures of what the devices asked while measuring. */
class Tally {
  constructor() {
    this.times = { push: [], pull: [], report: [] };
    this.errors = {};
    this.applied = 0;
    this.measuring = false;
  }

  note(endpoint, answer) {
    if (!this.measuring) return;
    this.times[endpoint].push(answer.ms);
    if (!ok(answer.status)) {
      const key = `${endpoint} ${answer.status}`;
      this.errors[key] = (this.errors[key] || 0) + 1;
    }
  }
}

const percentile = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** One device's cycles until `until()` says stop: push, pull to the end, now and then the report. */
async function live(device, tally, running) {
  await pause(Math.random() * CYCLE_MS);
  while (running.on) {
    const started = performance.now();
    const mutations = device.changes();
    const pushed = await request('POST', '/sync/push', { token: device.token, body: { mutations } });
    tally.note('push', pushed);
    if (ok(pushed.status) && tally.measuring) tally.applied += pushed.json.results.filter((r) => r.outcome === 'applied').length;
    for (;;) {
      const page = await request('GET', `/sync/pull?after=${device.cursor}&limit=500`, { token: device.token });
      tally.note('pull', page);
      if (!ok(page.status)) break;
      device.cursor = page.json.cursor;
      if (!page.json.has_more) break;
    }
    if (Math.random() < 1 / REPORT_EVERY) {
      const year = new Date().getFullYear();
      tally.note('report', await request('GET', `/report?from=${year}-01-01&to=${year}-12-31`, { token: device.token }));
    }
    // Every five seconds on average, with the jitter of phones that started at different times.
    const next = CYCLE_MS * (0.5 + Math.random()) - (performance.now() - started);
    if (next > 0) await pause(next);
  }
}

/** The CPU seconds the process `pid` has used. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The process's resident memory now, in MiB. */
function rss(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Signs `count` devices in, spread over the volunteers, a few at a time. */
async function signInDevices(people, from, count) {
  const devices = [];
  for (let i = from; i < from + count; i += 4) {
    const batch = [];
    for (let j = i; j < Math.min(from + count, i + 4); j++) {
      const person = people[j % people.length];
      batch.push(
        patiently('POST', '/auth/login', { body: { login: person.login, password: person.password }, localAddress: `127.0.${8 + Math.floor(j / 250)}.${1 + (j % 250)}` }).then(
          async (answer) => {
            if (!ok(answer.status)) throw new Error(`signing device ${j} in: ${answer.status}`);
            const me = await request('GET', '/auth/me', { token: answer.json.token });
            return new Device(j, person, answer.json.token, me.json.id);
          },
        ),
      );
    }
    devices.push(...(await Promise.all(batch)));
  }
  return devices;
}

try {
  port = await freePort();
  const dataDir = join(temp, 'load');
  await prepareCity(SERVER_BIN, dataDir, temp, city());
  const server = keep(SERVER_BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], { env: { ...process.env, RUST_LOG: 'warn' } });
  await waitFor(`http://127.0.0.1:${port}/api/v1/health`);
  const admin = await patiently('POST', '/auth/login', { body: { login: ADMIN.login, password: ADMIN.password } });
  const people = await volunteers(admin.json.token);
  log(`${people.length} volunteers joined`);

  const rows = [
    `| devices | push p50 / p95 / p99 | pull p50 / p95 / p99 | report p50 / p95 / p99 | errors | mutations/s | server CPU | generator CPU | peak RSS | p99 < ${P99_GOAL_MS} ms, no errors |`,
    '|---:|---|---|---|---|---:|---:|---:|---:|---|',
  ];
  const ms = (values) => ['50', '95', '99'].map((p) => percentile(values, Number(p)).toFixed(1)).join(' / ');
  let devices = [];
  let knee = 0;
  for (const level of LEVELS) {
    const signingIn = performance.now();
    devices.push(...(await signInDevices(people, devices.length, level - devices.length)));
    log(`${level} devices signed in (${((performance.now() - signingIn) / 1000).toFixed(0)} s for the new ones)`);
    const tally = new Tally();
    const running = { on: true };
    const lives = devices.map((device) => live(device, tally, running));
    // The first cycles bring new devices' records down: measure once every device runs steadily.
    await pause(2 * CYCLE_MS);
    const cpuBefore = cpuSeconds(server.pid);
    const generatorBefore = process.cpuUsage();
    let peak = rss(server.pid);
    tally.measuring = true;
    for (let s = 0; s < SECONDS; s++) {
      await pause(1000);
      peak = Math.max(peak, rss(server.pid));
    }
    tally.measuring = false;
    const cores = (cpuSeconds(server.pid) - cpuBefore) / SECONDS;
    const used = process.cpuUsage(generatorBefore);
    const generatorCores = (used.user + used.system) / 1e6 / SECONDS;
    running.on = false;
    await Promise.all(lives);
    const errors = Object.entries(tally.errors).map(([what, n]) => `${n} × ${what}`).join(', ') || '0';
    const worst = Math.max(...Object.values(tally.times).map((t) => percentile(t, 99) || 0));
    const met = worst < P99_GOAL_MS && Object.keys(tally.errors).length === 0;
    if (met) knee = level;
    const rate = tally.applied / SECONDS;
    log(`${level} devices: push ${ms(tally.times.push)}, pull ${ms(tally.times.pull)}, report ${ms(tally.times.report)} ms; errors ${errors}; ${rate.toFixed(0)} mutations/s; server ${cores.toFixed(2)} cores, generator ${generatorCores.toFixed(2)}; ${peak.toFixed(0)} MiB`);
    rows.push(
      `| ${level} | ${ms(tally.times.push)} ms | ${ms(tally.times.pull)} ms | ${ms(tally.times.report)} ms | ${errors} | ${rate.toFixed(0)} | ${cores.toFixed(2)} of 2 | ${generatorCores.toFixed(2)} of 2 | ${peak.toFixed(0)} MiB | ${verdict(met)} |`,
    );
  }
  rows.push('');
  rows.push(`Knee (the largest level with every endpoint's p99 < ${P99_GOAL_MS} ms and no error): **${knee || 'below the first level'} devices**; goal for one process on SQLite: 2 000 devices — ${verdict(knee >= 2000)}.`);
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
