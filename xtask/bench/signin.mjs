// The sign-in flood benchmark of `cargo xtask bench signin`: what a release server's memory and
// answers are when many sign-ins arrive at once — wrong passwords from one address, from 300
// addresses (each of 127.0.x.y, so no per-address brake helps), and ordinary right sign-ins a
// few at a time — read from the process's own peak (`VmHWM`) and resident size (`VmRSS`).
// Prints a Markdown table on stdout, progress on stderr.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ADMIN, prepareCity } from '../../tests/e2e/city.mjs';
import { cleanUp, freePort, keep, log, temp, verdict, waitFor } from './common.mjs';

const SERVER_BIN = process.env.DVOR_SERVER_BIN;
const FLOOD = 300;
const RIGHT = 500;
const AT_ONCE = 8;

/** The process's memory figure `field` of /proc/PID/status, in MiB. */
function memory(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** POSTs a sign-in from `localAddress`; resolves to the status. */
function signIn(port, login, password, localAddress = '127.0.0.1') {
  const body = JSON.stringify({ login, password });
  return new Promise((resolve) => {
    const request = http.request(
      { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/v1/auth/login', agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      },
    );
    request.on('error', () => resolve('error'));
    request.end(body);
  });
}

const tally = (statuses) => {
  const counts = {};
  for (const s of statuses) counts[s] = (counts[s] || 0) + 1;
  return Object.entries(counts).map(([s, n]) => `${n} × ${s}`).join(', ');
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

try {
  const port = await freePort();
  const dataDir = join(temp, 'signin');
  await prepareCity(SERVER_BIN, dataDir, temp);
  const server = keep(SERVER_BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir]);
  await waitFor(`http://127.0.0.1:${port}/api/v1/health`);
  const rows = [
    '| sign-ins on a release server (SQLite) | answers | peak RSS | RSS after | goal |',
    '|---|---|---:|---:|---|',
  ];
  const row = (what, statuses) => {
    const peak = memory(server.pid, 'VmHWM');
    const after = memory(server.pid, 'VmRSS');
    log(`${what}: ${tally(statuses)}; peak ${peak.toFixed(0)} MiB, after ${after.toFixed(0)} MiB`);
    rows.push(`| ${what} | ${tally(statuses)} | ${peak.toFixed(0)} MiB | ${after.toFixed(0)} MiB | < 150 MB: ${verdict(peak * 1.048576 < 150)} |`);
  };
  const idle = memory(server.pid, 'VmRSS');
  log(`idle: ${idle.toFixed(0)} MiB`);
  const sameAddress = await Promise.all(Array.from({ length: FLOOD }, (_, i) => signIn(port, `guess${i}@mail.ru`, 'не тот пароль')));
  await settle();
  row(`${FLOOD} wrong sign-ins at once from one address`, sameAddress);
  const manyAddresses = await Promise.all(
    Array.from({ length: FLOOD }, (_, i) => signIn(port, `flood${i}@mail.ru`, 'не тот пароль', `127.0.${2 + Math.floor(i / 250)}.${1 + (i % 250)}`)),
  );
  await settle();
  row(`${FLOOD} wrong sign-ins at once from ${FLOOD} addresses`, manyAddresses);
  const right = [];
  for (let i = 0; i < RIGHT; i += AT_ONCE) {
    const batch = Array.from({ length: Math.min(AT_ONCE, RIGHT - i) }, (_, j) => signIn(port, ADMIN.login, ADMIN.password, `127.0.9.${1 + ((i + j) % 250)}`));
    right.push(...(await Promise.all(batch)));
  }
  await settle();
  row(`${RIGHT} right sign-ins, ${AT_ONCE} at a time`, right);
  rows.push(`| idle before the first sign-in | | | ${idle.toFixed(0)} MiB | |`);
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
