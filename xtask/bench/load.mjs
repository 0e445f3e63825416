// The load benchmark of `cargo xtask bench load`: simulated devices doing what the app does,
// against release servers — each device, every few seconds, pushes a small batch (a new
// subbotnik, or a changed one of its own; what a push could not deliver is sent again, as the
// app's outbox does) and then pulls from its cursor, and now and then opens the report. Devices
// are volunteers of a city of 54 committees, each with its own session, so each pulls only its
// committee's records, as on a phone. Three deployments, each a fresh city: (a) one process on
// SQLite, (b) one process on PostgreSQL, (c) three processes on one PostgreSQL, each request of
// a device going to the next process in turn, as a load balancer sends them. The load rises in
// levels on each, whose records grow as they would; per level it reports each endpoint's
// p50/p95/p99 as the client sees them, errors, mutations applied per second, the servers' and
// the generator's CPU, each process's peak RSS, and at the end the knee: the largest level that
// keeps every endpoint's p99 under 100 ms with no error. Then, on (c), one process is killed
// with SIGKILL mid-run: the others' p99 while it is down, and whether every device's every
// record reached the server exactly once. The generator, the servers and PostgreSQL share this
// machine's cores.
// DVOR_LOAD_LEVELS (device counts, comma-separated), DVOR_LOAD_SECONDS (measured seconds per
// level) and DVOR_LOAD_DEPLOYMENTS (a, b, c; those given) change the run; xtask passes the
// PostgreSQL databases in DVOR_LOAD_POSTGRES_B and DVOR_LOAD_POSTGRES_C. Prints Markdown tables
// on stdout, progress on stderr.
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ADMIN, PROTOCOL, api, prepareCity } from '../../tests/e2e/city.mjs';
import { cleanUp, freePort, keep, log, temp, verdict, waitFor } from './common.mjs';

const SERVER_BIN = process.env.DVOR_SERVER_BIN;
const LEVELS = (process.env.DVOR_LOAD_LEVELS || '250,500,1000,1500,2000,2500,3000').split(',').map(Number);
const SECONDS = Number(process.env.DVOR_LOAD_SECONDS || 40);
/** A device's cycle: a push and a pull every five seconds on average. */
const CYCLE_MS = 5000;
/** One cycle in this many also opens the report. */
const REPORT_EVERY = 20;
const DISTRICTS = 6;
const COMMITTEES_PER_DISTRICT = 9;
const COMMITTEES = DISTRICTS * COMMITTEES_PER_DISTRICT;
const P99_GOAL_MS = 100;
/** Goal (a): one SQLite process holds this many devices within this peak RSS. */
const SQLITE_DEVICES_GOAL = 2000;
const SQLITE_RSS_GOAL_MB = 150;
/** The goal for the processes left while one of three is down. */
const DOWN_P99_GOAL_MS = 250;
/** The most mutations one push carries, as the app's outbox sends them. */
const PUSH_BATCH = 50;

const agent = new http.Agent({ keepAlive: true, maxSockets: 4096 });
/** The server processes of the deployment under load: `{ port, child, up }`. */
let servers = [];
let turn = 0;

/** The next process up, in turn, as a load balancer picks it. */
function next() {
  const up = servers.filter((server) => server.up);
  return up[turn++ % up.length];
}

/**
 * One request to `/api/v1{path}` of the next process (or of `server`): its status, parsed
 * answer, time to the last byte in ms and the process that answered.
 */
function request(method, path, { token, body, localAddress, server = next() } = {}) {
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
      { host: '127.0.0.1', port: server.port, method, path: `/api/v1${path}`, headers, agent: localAddress ? false : agent, localAddress },
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
          resolve({ status: response.statusCode, json, ms: performance.now() - started, retryAfter: response.headers['retry-after'], server });
        });
      },
    );
    sent.on('error', (error) => resolve({ status: `network: ${error.code || error.message}`, json: null, ms: performance.now() - started, server }));
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
    const joined = await patiently('POST', '/invites/join', { body: { code: invite.json.code, consent: true, ...person }, localAddress: `127.0.7.${committee}` });
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
    this.outbox = [];
  }

  /**
   * What the device's next push carries: what earlier pushes did not deliver, and one or two
   * new changes, a new record mostly.
   */
  changes() {
    const count = 1 + (Math.random() < 0.3 ? 1 : 0);
    const mutations = this.outbox;
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
    return mutations.slice(0, PUSH_BATCH);
  }

  /** Takes what the server answered out of the outbox. */
  delivered(results) {
    const answered = new Set(results.map((result) => result.mutation_id));
    this.outbox = this.outbox.filter((mutation) => !answered.has(mutation.mutation_id));
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
    if (this.only && !this.only(answer)) return;
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
    if (ok(pushed.status)) {
      device.delivered(pushed.json.results);
      if (tally.measuring) tally.applied += pushed.json.results.filter((r) => r.outcome === 'applied').length;
    }
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

/** The CPU seconds PostgreSQL's processes (its server and every backend) have used. */
function postgresSeconds() {
  let seconds = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') seconds += cpuSeconds(pid);
    } catch {
      // gone meanwhile
    }
  }
  return seconds;
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

/** The peak RSS of each process, in MiB, as the table shows them. */
const rssColumn = (peaks) => peaks.map((peak) => peak.toFixed(0)).join(' / ') + ' MiB';

/** Starts the deployment's `count` processes on `dataDir` (and `database`, if given). */
async function start(count, dataDir, database) {
  const env = { ...process.env, RUST_LOG: 'warn' };
  if (database) env.DVOR_DATABASE_URL = database;
  const started = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const child = keep(SERVER_BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], { env });
    await waitFor(`http://127.0.0.1:${port}/api/v1/health`);
    started.push({ port, child, up: true });
  }
  return started;
}

/** Runs `devices` for a while and measures them for `SECONDS`; what was seen. */
async function measure(devices, { during } = {}) {
  const tally = new Tally();
  const running = { on: true };
  const lives = devices.map((device) => live(device, tally, running));
  // The first cycles bring new devices' records down: measure once every device runs steadily.
  await pause(2 * CYCLE_MS);
  const cpu = () => servers.filter((s) => s.up).reduce((sum, s) => sum + cpuSeconds(s.child.pid), 0);
  const cpuBefore = cpu();
  const postgresBefore = postgresSeconds();
  const generatorBefore = process.cpuUsage();
  const peaks = servers.map((s) => rss(s.child.pid));
  tally.measuring = true;
  for (let s = 0; s < SECONDS; s++) {
    await pause(1000);
    if (during) await during(s, tally);
    servers.forEach((server, i) => {
      if (server.up) peaks[i] = Math.max(peaks[i], rss(server.child.pid));
    });
  }
  tally.measuring = false;
  const cores = (cpu() - cpuBefore) / SECONDS;
  const postgresCores = (postgresSeconds() - postgresBefore) / SECONDS;
  const used = process.cpuUsage(generatorBefore);
  running.on = false;
  await Promise.all(lives);
  return { tally, cores, postgresCores, generatorCores: (used.user + used.system) / 1e6 / SECONDS, peaks };
}

const ms = (values) => ['50', '95', '99'].map((p) => percentile(values, Number(p)).toFixed(1)).join(' / ');
const errorList = (tally) => Object.entries(tally.errors).map(([what, n]) => `${n} × ${what}`).join(', ') || '0';
const worstP99 = (tally) => Math.max(...Object.values(tally.times).map((t) => percentile(t, 99) || 0));

/** The load levels on one deployment: its table's rows, its knee, whether it held every level, and each level's peak RSS (MiB, the largest process). */
async function levels(label) {
  const admin = await patiently('POST', '/auth/login', { body: { login: ADMIN.login, password: ADMIN.password } });
  const people = await volunteers(admin.json.token);
  log(`${label}: ${people.length} volunteers joined`);
  const rows = [];
  const devices = [];
  let knee = 0;
  const rssAt = {};
  for (const level of LEVELS) {
    const signingIn = performance.now();
    devices.push(...(await signInDevices(people, devices.length, level - devices.length)));
    log(`${label}: ${level} devices signed in (${((performance.now() - signingIn) / 1000).toFixed(0)} s for the new ones)`);
    const { tally, cores, postgresCores, generatorCores, peaks } = await measure(devices);
    const errors = errorList(tally);
    const met = worstP99(tally) < P99_GOAL_MS && Object.keys(tally.errors).length === 0;
    if (met) knee = level;
    rssAt[level] = Math.max(...peaks);
    const rate = tally.applied / SECONDS;
    log(`${label}, ${level} devices: push ${ms(tally.times.push)}, pull ${ms(tally.times.pull)}, report ${ms(tally.times.report)} ms; errors ${errors}; ${rate.toFixed(0)} mutations/s; servers ${cores.toFixed(2)} cores, PostgreSQL ${postgresCores.toFixed(2)}, generator ${generatorCores.toFixed(2)}; ${rssColumn(peaks)}`);
    rows.push(
      `| ${label} | ${level} | ${ms(tally.times.push)} ms | ${ms(tally.times.pull)} ms | ${ms(tally.times.report)} ms | ${errors} | ${rate.toFixed(0)} | ${cores.toFixed(2)} of 2 | ${label.includes('PostgreSQL') ? `${postgresCores.toFixed(2)} of 2` : '—'} | ${generatorCores.toFixed(2)} of 2 | ${rssColumn(peaks)} | ${verdict(met)} |`,
    );
    // Past the knee the next level only collapses further.
    if (!met && worstP99(tally) > 10 * P99_GOAL_MS) break;
  }
  return { rows, knee, held: knee === LEVELS[LEVELS.length - 1], rssAt, devices, admin: admin.json.token };
}

/**
 * One of the three processes killed with SIGKILL a third of the way into a measured run of
 * `devices`; the others' times while it is down, then whether every device's records reached
 * the server exactly once.
 */
async function killOne(devices, adminToken) {
  const victim = servers[servers.length - 1];
  let killedAt = null;
  const { tally } = await measure(devices, {
    during: async (second, running) => {
      if (second === Math.floor(SECONDS / 3)) {
        // The load balancer sees it gone at once: requests under way to it fail and are sent again.
        victim.up = false;
        victim.child.kill('SIGKILL');
        killedAt = performance.now();
        running.only = (answer) => answer.server !== victim;
        for (const endpoint of Object.keys(running.times)) running.times[endpoint] = [];
        running.errors = {};
      }
    },
  });
  log(`killed one process ${killedAt ? 'mid-run' : 'never'}; the others: push ${ms(tally.times.push)}, pull ${ms(tally.times.pull)} ms; errors ${errorList(tally)}`);
  // Every device sends what it still holds, with nothing new, until it holds nothing.
  for (let round = 0; round < 20 && devices.some((d) => d.outbox.length > 0); round++) {
    await Promise.all(
      devices
        .filter((d) => d.outbox.length > 0)
        .map(async (device) => {
          const pushed = await patiently('POST', '/sync/push', { token: device.token, body: { mutations: device.outbox.slice(0, PUSH_BATCH) } });
          if (ok(pushed.status)) device.delivered(pushed.json.results);
        }),
    );
  }
  const undelivered = devices.reduce((sum, d) => sum + d.outbox.length, 0);
  const seen = [];
  for (let cursor = 0; ; ) {
    const page = await patiently('GET', `/sync/pull?after=${cursor}&limit=500`, { token: adminToken });
    if (!ok(page.status)) throw new Error(`pulling everything: ${page.status}`);
    seen.push(...page.json.changes.map((record) => record.id));
    cursor = page.json.cursor;
    if (!page.json.has_more) break;
  }
  const held = new Set(seen);
  const made = devices.flatMap((d) => d.made);
  const lost = made.filter((id) => !held.has(id)).length;
  const doubled = seen.length - held.size;
  const worst = worstP99(tally);
  const met = worst < DOWN_P99_GOAL_MS && lost === 0 && doubled === 0 && undelivered === 0;
  return [
    `| processes left | push p50 / p95 / p99 | pull p50 / p95 / p99 | report p50 / p95 / p99 | errors | records made | lost | doubled | p99 < ${DOWN_P99_GOAL_MS} ms, none lost or doubled |`,
    '|---:|---|---|---|---|---:|---:|---:|---|',
    `| 2 of 3, ${devices.length} devices | ${ms(tally.times.push)} ms | ${ms(tally.times.pull)} ms | ${ms(tally.times.report)} ms | ${errorList(tally)} | ${made.length} | ${lost + undelivered} | ${doubled} | ${verdict(met)} |`,
  ];
}

try {
  const wanted = (process.env.DVOR_LOAD_DEPLOYMENTS || 'a,b,c').split(',');
  const deployments = [
    { key: 'a', label: '(a) 1 × SQLite', processes: 1, database: null },
    { key: 'b', label: '(b) 1 × PostgreSQL', processes: 1, database: process.env.DVOR_LOAD_POSTGRES_B },
    { key: 'c', label: '(c) 3 × one PostgreSQL', processes: 3, database: process.env.DVOR_LOAD_POSTGRES_C },
  ].filter((d) => wanted.includes(d.key) && (d.key === 'a' || d.database));
  const rows = [
    `| deployment | devices | push p50 / p95 / p99 | pull p50 / p95 / p99 | report p50 / p95 / p99 | errors | mutations/s | servers' CPU | PostgreSQL's CPU | generator CPU | peak RSS per process | p99 < ${P99_GOAL_MS} ms, no errors |`,
    '|---|---:|---|---|---|---|---:|---:|---:|---:|---|---|',
  ];
  const knees = {};
  const runs = {};
  let killed = [];
  for (const deployment of deployments) {
    const dataDir = join(temp, `load-${deployment.key}`);
    const env = deployment.database ? { DVOR_DATABASE_URL: deployment.database } : {};
    await prepareCity(SERVER_BIN, dataDir, temp, city(), env);
    servers = await start(deployment.processes, dataDir, deployment.database);
    const run = await levels(deployment.label);
    rows.push(...run.rows);
    knees[deployment.key] = run.knee;
    runs[deployment.key] = run;
    if (deployment.key === 'c') {
      // At the knee's load (or the first level's), not past it: the question is what a healthy
      // deployment does when one process dies.
      const load = run.knee || LEVELS[0];
      killed = await killOne(run.devices.slice(0, load), run.admin);
    }
    for (const server of servers) server.child.kill('SIGKILL');
  }
  rows.push('');
  const knee = (key) => {
    if (!(key in knees)) return 'not run';
    if (!knees[key]) return '**below the first level**';
    return runs[key].held ? `**at least ${knees[key]} devices** (every level held)` : `**${knees[key]} devices**`;
  };
  rows.push(`Knees (the largest level with every endpoint's p99 < ${P99_GOAL_MS} ms and no error): (a) ${knee('a')}, (b) ${knee('b')}, (c) ${knee('c')}.`);
  if ('a' in knees) {
    const rss = runs.a.rssAt[SQLITE_DEVICES_GOAL];
    const mb = rss === undefined ? 'not measured' : `${((rss * 1048576) / 1e6).toFixed(0)} MB`;
    rows.push(`Goal (a), ${SQLITE_DEVICES_GOAL} devices on one SQLite process with peak RSS < ${SQLITE_RSS_GOAL_MB} MB (${mb} there): ${verdict(knees.a >= SQLITE_DEVICES_GOAL && rss !== undefined && (rss * 1048576) / 1e6 < SQLITE_RSS_GOAL_MB)}.`);
  }
  if ('a' in knees && 'c' in knees) rows.push(`Goal (c), at least twice (a)'s knee: ${verdict(knees.c >= 2 * knees.a && knees.a > 0)}.`);
  if (killed.length > 0) rows.push('', 'One of the three processes killed with SIGKILL a third of the way into a run at (c)\'s knee:', '', ...killed);
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
