// Every screen of every role on a small phone (360×640), a phone (390×844) and a tablet: a
// screenshot to look at, no control under 44×44 CSS px, nothing wider than the screen, no
// serious or critical axe violation, and the tab bar each role is meant to have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN,
  HEADING,
  SCREENS,
  joinByInvite,
  overflowing,
  openDevice,
  screenshot,
  seriousA11yViolations,
  serverRecords,
  serverPerFile,
  signIn,
  smallTargets,
  waitForServiceWorker,
} from './support.mjs';

const server = serverPerFile();

/** Who signs in, the tabs their bar holds, the screens they use (by path), and the screens
 * reached from others: a name, where to start, how to get there and the heading found. */
const ROLES = {
  volunteer: {
    person: { name: 'Ольга Смирнова', login: 'olga@mail.ru', password: 'двор на Весенней' },
    grant: { role: 'volunteer', scope: { committee: 1 } },
    tabs: ['Записи', 'Добавить', 'Объекты', 'Карта', 'Ещё'],
    screens: [
      '/',
      '/new',
      '/new/cleanup_day',
      '/sites',
      '/sites/new',
      '/map',
      '/account',
      '/install',
    ],
    // Screens reached from others: a site, its form, a record's form.
    details: [
      ['site', '/sites', (page) => page.getByRole('link', { name: 'Двор на Весенней, 5' }).first().click(), 'Двор на Весенней, 5'],
      ['site-edit', '/sites', async (page) => {
        await page.getByRole('link', { name: 'Двор на Весенней, 5' }).first().click();
        await page.getByRole('link', { name: 'Изменить' }).click();
      }, 'Изменение объекта'],
      ['record-edit', '/', (page) => page.locator('.card').getByRole('link', { name: 'Изменить' }).first().click(), 'Изменение записи'],
    ],
  },
  desk: {
    person: { name: 'Ирина Прокатова', login: 'irina@mail.ru', password: 'мячи и скакалки' },
    grant: { role: 'centre_staff', scope: { centre: 1 } },
    tabs: ['Склад', 'Выдачи', 'Записи', 'Добавить', 'Ещё'],
    screens: [
      '/inventory',
      '/inventory/loans',
      '/inventory/lend',
      '/inventory/add',
      '/inventory/count',
      '/account',
    ],
    details: [
      // The app opens on the desk's stock; its records are a tab away.
      ['records', '/inventory', (page) => page.getByRole('link', { name: 'Записи', exact: true }).click(), 'Записи'],
      ['item', '/inventory', (page) => page.getByRole('link', { name: 'Мяч футбольный' }).click(), 'Мяч футбольный'],
      ['loan', '/inventory/loans', (page) => page.getByRole('link', { name: /Пётр Иванов/ }).click(), /^Выдача /],
    ],
  },
  coordinator: {
    person: { name: 'Павел Координаторов', login: 'pavel@mail.ru', password: 'отчёт по району' },
    grant: { role: 'coordinator', scope: { district: 1 } },
    tabs: ['Карта', 'Отчёт', 'Записи', 'Объекты', 'Ещё'],
    screens: [
      '/map',
      '/report',
      '/account',
      '/audit',
    ],
    details: [
      // The app opens on the coordinator's map; the records are a tab away.
      ['records', '/map', (page) => page.getByRole('link', { name: 'Записи', exact: true }).click(), 'Записи'],
    ],
  },
  admin: {
    person: ADMIN,
    tabs: ['Записи', 'Карта', 'Отчёт', 'Объекты', 'Ещё'],
    screens: [
      '/account',
      '/report',
    ],
  },
};

const SIGNED_OUT = [
  '/signin',
  '/join',
  '/reset',
];

/** Opens `path` by a fresh load and waits for its heading. */
async function open(page, path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole('heading', { name: heading, exact: typeof heading === 'string', level: 1 }).waitFor();
  // Pictures and late panels settle before the look is judged.
  await page.waitForLoadState('networkidle');
}

/** Judges the open screen: its screenshot, its targets on a phone, axe. */
async function judge(page, screen, name, faults) {
  await screenshot(page, `layout-${screen}-${name}`);
  if (screen !== 'tablet') {
    for (const small of await smallTargets(page)) faults.push(`${screen} ${name}: ${small}`);
  }
  for (const wide of await overflowing(page)) faults.push(`${screen} ${name}: wider than the screen: ${wide}`);
  for (const violation of await seriousA11yViolations(page)) faults.push(`${screen} ${name}: ${violation}`);
}

test('people join as each role; a volunteer\'s site and record and a desk\'s loan are there to show', { timeout: 90_000 }, async () => {
  for (const { person, grant } of Object.values(ROLES)) {
    if (grant) await joinByInvite(server.url, grant, person);
  }
  const desk = await openDevice('layout-seed-desk');
  try {
    const { page } = desk;
    await signIn(page, server.url, ROLES.desk.person);
    await page.getByRole('link', { name: 'Склад' }).click();
    await page.getByRole('link', { name: 'Добавить предметы' }).click();
    await page.getByLabel('Мяч футбольный').fill('3');
    await page.getByRole('button', { name: 'Добавить' }).click();
    await page.getByText('Добавлено предметов: 1').waitFor();
    await page.getByRole('link', { name: 'Выдать', exact: true }).click();
    await page.getByLabel('Имя получателя').fill('Пётр Иванов');
    await page.getByLabel('Телефон').fill('8 905 777-88-99');
    await page.getByLabel('Мяч футбольный').fill('1');
    await page.getByRole('button', { name: 'Выдать' }).click();
    await page.getByText('Выдано. Запись сохранена на устройстве').waitFor();
    // On the server before the tablet closes.
    while (!(await serverRecords(server)).some((r) => r.kind === 'loan')) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await desk.close();
  }
  const device = await openDevice('layout-seed');
  try {
    await signIn(device.page, server.url, ROLES.volunteer.person);
    const { page } = device;
    await page.getByRole('link', { name: 'Объекты' }).click();
    await page.getByRole('link', { name: 'Новый объект' }).click();
    await page.getByLabel('Название', { exact: true }).fill('Двор на Весенней, 5');
    await page.getByLabel('Адрес').fill('ул. Весенняя, 5');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Двор на Весенней, 5' }).waitFor();
    // The volunteer's one committee is chosen for them.
    await page.getByRole('link', { name: 'Записи', exact: true }).click();
    await page.getByRole('link', { name: 'Записать субботник' }).click();
    await page.getByLabel('Адрес участка').fill('ул. Весенняя, 5');
    await page.getByLabel('Участники').fill('12');
    await page.getByLabel('Мешки с мусором').fill('30');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    // On the server before the device closes: the card itself says so.
    await page.locator('.card').getByText('отправлено', { exact: true }).waitFor();
  } finally {
    await device.close();
  }
});

for (const [screen, size] of Object.entries(SCREENS)) {
  test(`every screen on a ${screen} (${size.viewport.width}×${size.viewport.height}): looked at, 44 px targets, axe`, { timeout: 300_000 }, async () => {
    const faults = [];
    const device = await openDevice(`layout-${screen}`, size);
    try {
      const { page } = device;
      for (const path of SIGNED_OUT) {
        await open(page, path, HEADING[path]);
        await judge(page, screen, path.slice(1), faults);
      }
      for (const [role, { person, tabs, screens, details = [] }] of Object.entries(ROLES)) {
        await signIn(page, server.url, person);
        await waitForServiceWorker(page);
        // The first pull brings what the role may see before the screens are judged.
        await page.getByText('Синхронизировано:').waitFor({ state: 'attached' });
        const bar = await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link').allInnerTexts();
        assert.deepEqual(bar.map((t) => t.trim()), tabs, `the tabs of the ${role}`);
        // Opening the app lands on the first tab.
        await page.goto(server.url);
        await page.getByRole('link', { name: tabs[0], exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
        for (const path of screens) {
          await open(page, path, HEADING[path]);
          await judge(page, screen, `${role}${path.replaceAll('/', '-')}`, faults);
        }
        for (const [name, from, go, heading] of details) {
          await page.goto(`${server.url}${from}`);
          await go(page);
          await page.getByRole('heading', { name: heading, exact: typeof heading === 'string', level: 1 }).waitFor();
          await page.waitForLoadState('networkidle');
          await judge(page, screen, `${role}-${name}`, faults);
        }
        // The sync line opened, on the records screen, where the volunteer's card says who
        // logged it to everyone but the volunteer.
        await page.getByRole('link', { name: 'Записи', exact: true }).click();
        await page.getByRole('heading', { name: 'Записи', exact: true, level: 1 }).waitFor();
        const card = page.locator('.card', { hasText: 'ул. Весенняя, 5' });
        if (role === 'volunteer') {
          await card.waitFor();
          assert.equal(await card.locator('.card-author').count(), 0, 'one\'s own card names nobody');
        } else if (role !== 'desk') {
          await card.getByText('Записал(а): Ольга Смирнова').waitFor();
        }
        await page.locator('.sync summary').click();
        await page.locator('.sync-panel').waitFor();
        await judge(page, screen, `${role}-sync-open`, faults);
        await page.getByRole('link', { name: 'Ещё' }).click();
        await page.getByRole('button', { name: 'Выйти', exact: true }).click();
        await page.getByRole('heading', { name: 'Вход' }).waitFor();
      }
    } finally {
      await device.close();
    }
    assert.deepEqual(faults, []);
  });
}
