// The test city every server of the end-to-end tests and the benchmark starts with, its first
// admin, and signing in. No test environment needed, so the benchmark shares it.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first admin. */
export const ADMIN = { login: 'admin@example.ru', password: 'субботник в мае', name: 'Анна Админова' };

/**
 * District 1 «Центральный» with committees 1 «Забойщик», 2 «Рудник», 3 «Лидер» and centre 1;
 * district 2 «Кедровка» with committee 4 «Кедровский».
 */
const CITY = {
  districts: [
    { name: 'Центральный', committees: ['Забойщик', 'Рудник', 'Лидер'], centres: ['ЦРН «Центральный»'] },
    { name: 'Кедровка', committees: ['Кедровский'], centres: [] },
  ],
};

/** The sync protocol this build speaks. */
export const PROTOCOL = { 'dvor-protocol': '3' };

/** Runs `serverBin` with `args` to completion, as an administrator would once. */
function serverCommand(serverBin, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(serverBin, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, RUST_LOG: 'warn', ...env } });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dvor-server ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * Puts the test city (or `city`, in the same form) and its admin in the data directory
 * `dataDir` (or the database `env.DVOR_DATABASE_URL` names), as a first run does.
 */
export async function prepareCity(serverBin, dataDir, scratch, city = CITY, env = {}) {
  const cityFile = join(scratch, 'city.json');
  writeFileSync(cityFile, JSON.stringify(city));
  await serverCommand(serverBin, ['--data-dir', dataDir, 'import-reference', cityFile], env);
  await serverCommand(serverBin, ['--data-dir', dataDir, 'create-admin'], {
    ...env,
    DVOR_ADMIN_LOGIN: ADMIN.login,
    DVOR_ADMIN_NAME: ADMIN.name,
    DVOR_ADMIN_PASSWORD: ADMIN.password,
  });
}

/** A JSON request to `/api/v1{path}` of the server at `url`; the answer's JSON. */
export async function api(url, path, { body, token, method = body ? 'POST' : 'GET' } = {}) {
  const headers = { ...PROTOCOL };
  if (body) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${url}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** An admin session token for direct API calls. */
export async function adminToken(url) {
  return (await api(url, '/auth/login', { body: { login: ADMIN.login, password: ADMIN.password } })).token;
}

/**
 * A person holding `grant` (`{ role, scope }` as the API writes it), made by the admin's invite
 * and joined through the API as `person` (`{ name, login, password }`); their session token.
 */
export async function joinByInvite(url, grant, person) {
  const invite = await api(url, '/invites', { token: await adminToken(url), body: { grant, uses: 1, days: 1 } });
  return (await api(url, '/invites/join', { body: { code: invite.code, consent: true, ...person } })).token;
}

/** Signs in on the app at `url` (the server's or a proxy's) and waits for the records. */
export async function signIn(page, url, { login, password } = ADMIN) {
  await page.goto(`${url}/signin`);
  await page.getByLabel('Телефон или e-mail').fill(login);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByRole('heading', { name: 'Записи', exact: true }).waitFor();
}
