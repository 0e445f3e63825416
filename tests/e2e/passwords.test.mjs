// Passwords end to end: a volunteer changes theirs on the account screen; a stranger guessing
// it slows new devices down but never the volunteer's own phone; the volunteer forgets it on a
// new phone, the admin makes a reset code on the account screen, and the volunteer sets a new
// password with it and is signed in; the password before it no longer works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, joinByInvite, openDevice, screenshot, seriousA11yViolations, serverPerFile, signIn } from './support.mjs';

const server = serverPerFile();
const VOLUNTEER = { login: 'olga@mail.ru', password: 'двор на Весенней', name: 'Ольга Смирнова' };
const CHANGED = 'сирень у подъезда';
const AFTER_RESET = 'клумба у школы';

async function volunteerJoins() {
  await joinByInvite(server.url, { role: 'volunteer', scope: { committee: 1 } }, VOLUNTEER);
}

async function openAccount(page, name) {
  await page.getByRole('link', { name: 'Ещё' }).click();
  await page.getByRole('heading', { name: 'Учётная запись' }).waitFor();
  await page.getByText(name).first().waitFor();
}

/** A stranger's wrong sign-in from this test's process (no device key): its status. */
async function strangerTries() {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: VOLUNTEER.login, password: 'подбираю пароль' }),
  });
  return response.status;
}

test('a password is changed, survives a stranger guessing it, is forgotten and reset with a code', { timeout: 240_000 }, async () => {
  await volunteerJoins();
  const phone = await openDevice('volunteer-phone');
  const desktop = await openDevice('admin-desktop', { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false });
  const newPhone = await openDevice('volunteer-new-phone');
  try {
    await signIn(phone.page, server.url, VOLUNTEER);
    await openAccount(phone.page, VOLUNTEER.name);
    await phone.page.getByLabel('Текущий пароль').fill('не тот пароль');
    await phone.page.getByLabel('Новый пароль').fill(CHANGED);
    await phone.page.getByRole('button', { name: 'Сменить пароль' }).click();
    await phone.page.getByText('Текущий пароль неверен').waitFor();
    await phone.page.getByLabel('Текущий пароль').fill(VOLUNTEER.password);
    await phone.page.getByRole('button', { name: 'Сменить пароль' }).click();
    await phone.page.getByText('Пароль изменён. На других устройствах нужно войти снова.').waitFor();
    assert.equal(await phone.page.getByLabel('Текущий пароль').inputValue(), '', 'the fields are emptied');
    await screenshot(phone.page, '70-password-changed');
    assert.deepEqual(await seriousA11yViolations(phone.page), [], 'axe on the account screen');

    // A stranger guesses: after five, new devices wait …
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push(await strangerTries());
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses.at(-1), 429);
    await newPhone.page.goto(`${server.url}/signin`);
    await newPhone.page.getByLabel('Телефон или e-mail').fill(VOLUNTEER.login);
    await newPhone.page.getByLabel('Пароль', { exact: true }).fill(CHANGED);
    await newPhone.page.getByRole('button', { name: 'Войти' }).click();
    await newPhone.page.getByText(/Слишком много неудачных попыток\. Попробуйте через \d+ (с|мин)\./).waitFor();
    await screenshot(newPhone.page, '71-new-device-waits');
    // … but the phone the volunteer signed in on before gets in at once.
    await phone.page.getByRole('button', { name: 'Выйти', exact: true }).click();
    await phone.page.getByRole('heading', { name: 'Вход' }).waitFor();
    await signIn(phone.page, server.url, { login: VOLUNTEER.login, password: CHANGED });

    // Forgotten on the new phone: the admin makes a code on the account screen.
    await signIn(desktop.page, server.url);
    await openAccount(desktop.page, ADMIN.name);
    await desktop.page.getByLabel('Телефон или e-mail участника').fill('Olga@Mail.ru');
    await desktop.page.getByRole('button', { name: 'Создать код сброса' }).click();
    const made = await desktop.page.getByText(/^Код для Olga@Mail\.ru: /).textContent();
    const code = made.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)[0];
    await screenshot(desktop.page, '72-reset-code-made');
    await newPhone.page.goto(`${server.url}/signin`);
    await newPhone.page.getByRole('link', { name: 'Забыли пароль?' }).click();
    await newPhone.page.getByRole('heading', { name: 'Новый пароль по коду' }).waitFor();
    await newPhone.page.getByLabel('Код сброса').fill(code.toLowerCase());
    await newPhone.page.getByLabel('Телефон или e-mail').fill(VOLUNTEER.login);
    await newPhone.page.getByLabel('Новый пароль').fill(AFTER_RESET);
    assert.deepEqual(await seriousA11yViolations(newPhone.page), [], 'axe on the reset screen');
    await screenshot(newPhone.page, '73-reset-screen');
    await newPhone.page.getByRole('button', { name: 'Сменить пароль и войти' }).click();
    await newPhone.page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();

    const signInWithOld = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: VOLUNTEER.login, password: CHANGED, device_key: 'ab'.repeat(32) }),
    });
    assert.equal(signInWithOld.status, 401, 'the password before the reset no longer works');
  } finally {
    await phone.close();
    await desktop.close();
    await newPhone.close();
  }
});
