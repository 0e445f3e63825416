// A randomized soak: two devices create, edit and delete records through the app while a seeded
// generator breaks things — lost replies, reset connections, slow requests, a killed server,
// devices going offline, pages reloaded. After each schedule everything heals and syncs, and the
// server and both devices must hold exactly what a model of the people's actions says: every
// record once, the latest write of each field, deletions kept.
//
// DVOR_SOAK_SCHEDULES (default 12) sets how many schedules run, DVOR_SOAK_SEED the first seed
// (default: from the clock); `cargo xtask soak N` runs many in a chosen engine. Every choice a
// schedule makes comes from its seed and what it did itself — a device edits or deletes only the
// records it created in that schedule, which it always holds — never from what a device happens
// to show at that moment, so a failure replays by its seed alone
// (`cargo xtask soak 1 --seed <seed>`). A failure names the seed and the steps, and writes them
// with both devices' state to soak-failure.json in the test output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFaultProxy } from './fault_proxy.mjs';
import { ENGINE, deleteActivity, deviceState, editActivity, logSubbotnik, openDevice, settle, signIn, startServer } from './support.mjs';

const SCHEDULES = Number(process.env.DVOR_SOAK_SCHEDULES || 12);
const FIRST_SEED = Number(process.env.DVOR_SOAK_SEED || Date.now() % 1_000_000_000);
const STEPS = 7;
/** The test city's committees in district 1 (support.mjs), by id. */
const COMMITTEES = [
  [1, 'Забойщик'],
  [2, 'Рудник'],
  [3, 'Лидер'],
];

let server;
let proxy;
const devices = [];

before(async () => {
  server = await startServer();
  proxy = await startFaultProxy(server.url);
  for (const name of ['soak-phone', 'soak-tablet']) {
    const device = await openDevice(name);
    await signIn(device.page, proxy.url);
    await device.page.getByText('Синхронизировано:').waitFor({ state: 'attached' });
    devices.push(device);
  }
});

after(async () => {
  for (const device of devices) await device.close();
  await proxy?.close();
  await server?.stop();
});

/** mulberry32: a small, good-enough seeded generator. */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

// What the people did: per record, the latest value written to each field, and whether anyone
// deleted it. Writes happen seconds apart on one machine's clock, so "latest" is well defined.
const model = new Map();

async function runSchedule(seed, log) {
  const random = generator(seed);
  // The records each device created in this schedule: the only ones it edits or deletes.
  const made = devices.map(() => []);
  const offline = new Set();
  let serverDown = false;
  for (let step = 0; step < STEPS; step++) {
    const which = random.int(devices.length);
    const { page, context } = devices[which];
    const roll = random.next();
    if (roll < 0.3) {
      const [committeeId, committee] = random.pick(COMMITTEES);
      const values = { committee, address: `Двор ${seed}-${step}`, participants: 1 + random.int(20), bags: random.int(60) };
      log.push(`device ${which} creates ${values.address}`);
      await logSubbotnik(page, values);
      await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
      const id = await page.locator('.card', { hasText: values.address }).getAttribute('data-id');
      made[which].push(id);
      model.set(id, { deleted: false, committee: committeeId, address: values.address, bags: values.bags, participants: values.participants });
    } else if (roll < 0.58) {
      const ids = made[which].filter((id) => !model.get(id).deleted);
      if (ids.length === 0) continue;
      const id = random.pick(ids);
      if (roll < 0.5) {
        const bags = 100 + step;
        log.push(`device ${which} sets bags of ${id} to ${bags}`);
        await editActivity(page, id, { 'Мешки с мусором': bags });
        model.get(id).bags = bags;
      } else {
        log.push(`device ${which} deletes ${id}`);
        await deleteActivity(page, id);
        model.get(id).deleted = true;
      }
    } else if (roll < 0.68) {
      const going = !offline.has(which);
      log.push(`device ${which} goes ${going ? 'offline' : 'online'}`);
      await context.setOffline(going);
      if (going) offline.add(which);
      else offline.delete(which);
    } else if (roll < 0.84) {
      const fault = random.pick(['drop-reply', 'reset', { delayMs: 300 }]);
      const count = 1 + random.int(3);
      log.push(`next ${count} sync request(s): ${JSON.stringify(fault)}`);
      let left = count;
      proxy.set(() => (left-- > 0 ? fault : 'pass'));
      // Offline (or just going offline) the button is disabled: the fault then meets the next
      // sync after reconnecting.
      await page
        .getByRole('button', { name: 'Синхронизировать сейчас' })
        .click({ timeout: 2_000 })
        .catch(() => {});
    } else if (roll < 0.92) {
      log.push(serverDown ? 'server restarts' : 'server is killed');
      if (serverDown) await server.start();
      else await server.kill();
      serverDown = !serverDown;
    } else {
      log.push(`device ${which} reloads`);
      await page.reload();
      await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
    }
  }
  log.push('everything heals');
  proxy.heal();
  if (serverDown) await server.start();
  for (const which of offline) await devices[which].context.setOffline(false);
  const stored = await settle(
    devices.map((d) => d.page),
    server,
  );
  const onServer = new Map(stored.map((r) => [r.id, r]));
  for (const [id, expected] of model) {
    const record = onServer.get(id);
    assert.ok(record, `record ${id} reached the server`);
    assert.equal(record.deleted.value, expected.deleted, `deletion of ${id}`);
    assert.deepEqual(record.owner, { committee: expected.committee }, `committee of ${id}`);
    assert.equal(record.fields.site_address.value, expected.address, `address of ${id}`);
    assert.equal(record.fields['measures.bags'].value, expected.bags, `bags of ${id}`);
    assert.equal(record.fields['measures.participants'].value, expected.participants, `participants of ${id}`);
  }
  assert.equal(stored.length, model.size, 'no record the people did not make');
}

test(`a randomized soak of ${SCHEDULES} fault schedules from seed ${FIRST_SEED}`, { timeout: SCHEDULES * 120_000 }, async () => {
  for (let i = 0; i < SCHEDULES; i++) {
    const seed = FIRST_SEED + i;
    const log = [];
    try {
      await runSchedule(seed, log);
    } catch (error) {
      const output = process.env.DVOR_TEST_OUTPUT;
      mkdirSync(output, { recursive: true });
      const held = [];
      for (const device of devices) held.push(await deviceState(device.page).catch((e) => String(e)));
      const failure = { engine: ENGINE, seed, schedule: i, steps: log, error: String(error), devices: held };
      writeFileSync(join(output, 'soak-failure.json'), JSON.stringify(failure, null, 2));
      throw new Error(`soak schedule ${i} (seed ${seed}) failed after: ${log.join('; ')}\n${error.stack}`);
    }
    if ((i + 1) % 25 === 0) console.log(`soak: ${i + 1} of ${SCHEDULES} schedules passed`);
  }
  console.log(`soak: ${SCHEDULES} schedules from seed ${FIRST_SEED} passed, ${model.size} records`);
});
