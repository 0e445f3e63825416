// The API's contract test of `cargo xtask test`: Schemathesis (from PyPI, in target/) reads the
// OpenAPI document of a running server with the test city and fuzzes every operation with a
// fixed seed and a time bound, signed in as the admin. It fails on any 5xx answer and on any
// answer whose status, content type or body the document does not describe. Signing out, and
// erasing an account, are left out (either would end the session the rest runs in).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminToken, prepareCity } from '../tests/e2e/city.mjs';
import { freePort } from '../tests/e2e/ports.mjs';

const SERVER_BIN = process.env.DVOR_SERVER_BIN;
const SCHEMATHESIS = process.env.DVOR_SCHEMATHESIS;
const SEED = '20261206';

const temp = mkdtempSync(join(tmpdir(), 'dvor-contract-'));
const port = await freePort();
const dataDir = join(temp, 'data');
let server;
try {
  await prepareCity(SERVER_BIN, dataDir, temp);
  server = spawn(SERVER_BIN, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      if (i > 200) throw new Error('the server did not come up');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const token = await adminToken(url);
  const args = [
    'run', `${url}/api/v1/openapi.json`,
    '--header', `Authorization: Bearer ${token}`,
    '--header', 'dvor-protocol: 3',
    '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--exclude-path', '/auth/logout',
    '--exclude-path', '/auth/sessions/end-all',
    '--exclude-path', '/accounts/{id}/erase',
    '--seed', SEED,
    '--max-examples', '30',
    '--max-time', '120',
    '--phases', 'examples,coverage,fuzzing',
    '--generation-database', 'none',
    '--no-color',
  ];
  const code = await new Promise((resolve) => {
    // In the scratch directory: Schemathesis keeps a cache of its own where it runs.
    const st = spawn(SCHEMATHESIS, args, { cwd: temp, stdio: 'inherit', env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    st.on('exit', (status) => resolve(status ?? 1));
  });
  process.exitCode = code;
} finally {
  server?.kill('SIGKILL');
  rmSync(temp, { recursive: true, force: true });
}
