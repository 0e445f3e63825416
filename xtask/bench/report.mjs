// The report benchmark of `cargo xtask bench`: how long the server takes to answer the report
// (`GET /api/v1/report`, the activities grouped in SQL on the embedded SQLite) over 100 000
// activities of several kinds, committees and months — for the whole city and all time, one
// year, one district's month — measured from the client over HTTP on 127.0.0.1, median of 15;
// then the exports of all of them (XLSX, CSV) and of the report, request to last byte.
// Prints a Markdown table on stdout (the last thing it prints), progress on stderr.
import { api } from '../../tests/e2e/city.mjs';
import { cleanUp, log, startDvor, verdict } from './common.mjs';

const ACTIVITIES = Number(process.env.DVOR_BENCH_REPORT_ACTIVITIES || 100_000);
const RUNS = 15;
const EXPORT_RUNS = 5;

const ms = (value) => `${value.toFixed(1)} ms`;
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/** `count` activities over two years: subbotniks, cultural events (every third a youth one)
 * and «Лето» events by direction, in committees 1–3. */
function activities(count) {
  const stamp = `${String(Date.now() - 60_000).padStart(13, '0')}-00000-${(0x4e9).toString(16).padStart(16, '0')}`;
  const field = (value) => ({ value, hlc: stamp });
  const start = Date.UTC(2024, 0, 1);
  const directions = ['civic_patriotic', 'sports', 'creative', 'ecological'];
  const mutations = [];
  for (let n = 0; n < count; n++) {
    const hex = n.toString(16).padStart(12, '0');
    const date = new Date(start + (n % 700) * 86_400_000).toISOString().slice(0, 10);
    const fields = { date: field(date), site_address: field(`ул. Весенняя, ${1 + (n % 90)}`), 'measures.participants': field(1 + (n % 60)) };
    switch (n % 3) {
      case 0:
        Object.assign(fields, { kind: field('cleanup_day'), 'measures.bags': field(n % 40), 'measures.area_m2': field(null) });
        break;
      case 1:
        Object.assign(fields, { kind: field('cultural_event'), youth: field(n % 9 === 1) });
        break;
      default:
        Object.assign(fields, { kind: field('summer_event'), variant: field(directions[n % 4]) });
    }
    mutations.push({
      mutation_id: `019a0000-fe00-7000-8000-${hex}`,
      change: { id: `019a0000-ae00-7000-8000-${hex}`, kind: 'activity', author: 'user:1', owner: { committee: 1 + (n % 3) }, deleted: field(false), fields },
    });
  }
  return mutations;
}

try {
  const { url, token } = await startDvor('report');
  const mutations = activities(ACTIVITIES);
  const pushing = performance.now();
  for (let i = 0; i < mutations.length; i += 500) {
    const answer = await api(url, '/sync/push', { token, body: { mutations: mutations.slice(i, i + 500) } });
    const refused = answer.results.filter((r) => r.outcome !== 'applied');
    if (refused.length > 0) throw new Error(`refused: ${JSON.stringify(refused[0])}`);
  }
  const pushed = performance.now() - pushing;
  log(`${ACTIVITIES} activities pushed in ${(pushed / 1000).toFixed(1)} s`);
  const rows = [
    `| the report over ${ACTIVITIES.toLocaleString('en').replace(/,/g, ' ')} activities on SQLite, answered over HTTP (median of ${RUNS}) | Двор | goal |`,
    '|---|---:|---|',
  ];
  for (const [what, query, goal] of [
    ['the whole city, all time', 'from=2000-01-01&to=2030-12-31', true],
    ['the whole city, one year', 'from=2025-01-01&to=2025-12-31', true],
    ['the whole city, 17 March 2024 to 9 November 2025 (days at both ends)', 'from=2024-03-17&to=2025-11-09', true],
    ['one district, one month', 'from=2025-05-01&to=2025-05-31&district=1', false],
  ]) {
    const times = [];
    let groups = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const answer = await api(url, `/report?${query}`, { token });
      times.push(performance.now() - started);
      groups = answer.rows.length;
    }
    const time = median(times);
    log(`${what}: ${ms(time)}, ${groups} groups`);
    rows.push(`| ${what} (${groups} groups) | ${ms(time)} | ${goal ? `< 200 ms: ${verdict(time < 200)}` : ''} |`);
  }
  rows.push(`| pushing the ${ACTIVITIES.toLocaleString('en').replace(/,/g, ' ')} activities in batches of 500, facts and monthly tally kept as they arrive | ${(pushed / 1000).toFixed(1)} s | |`);
  const all = ACTIVITIES.toLocaleString('en').replace(/,/g, ' ');
  for (const [what, file, goal] of [
    [`exporting all ${all} activities as XLSX, request to last byte`, 'activities.xlsx', true],
    [`exporting all ${all} activities as CSV (streamed), request to last byte`, 'activities.csv', false],
    ['the report of all time as XLSX', 'report.xlsx', false],
  ]) {
    const times = [];
    let bytes = 0;
    for (let i = 0; i < EXPORT_RUNS; i++) {
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/export/${file}?from=2000-01-01&to=2030-12-31`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${file}: ${response.status} ${await response.text()}`);
      bytes = (await response.arrayBuffer()).byteLength;
      times.push(performance.now() - started);
    }
    const time = median(times);
    log(`${what}: ${ms(time)}, ${bytes} bytes`);
    const size = bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(bytes / 1000)} kB`;
    rows.push(`| ${what} (${size}, median of ${EXPORT_RUNS}) | ${time >= 1000 ? `${(time / 1000).toFixed(2)} s` : ms(time)} | ${goal ? `< 3 s: ${verdict(time < 3000)}` : ''} |`);
  }
  console.log(rows.join('\n'));
} finally {
  cleanUp();
}
