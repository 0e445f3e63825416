// The Lighthouse benchmark of `cargo xtask bench lighthouse`: the accessibility and best-practice
// scores (Lighthouse 12, its mobile profile) of the screens a volunteer lives in — the records
// and the activity form — signed in, against a release server. Lighthouse drives the same
// headless Chromium over its debugging port and keeps the profile's storage, so the person stays
// signed in. Prints a Markdown table on stdout, progress on stderr; the audits that cost points
// are listed under it.
import lighthouse from 'lighthouse';
import { signIn } from '../../tests/e2e/city.mjs';
import { browser, cleanUp, freePort, log, startDvor, verdict } from './common.mjs';

const GOAL = 95;
const SCREENS = [
  ['the records (`/`)', '/'],
  ['the activity form (`/new/cleanup_day`)', '/new/cleanup_day'],
];

try {
  const { url } = await startDvor('lighthouse');
  const port = await freePort();
  const { context, page } = await browser([`--remote-debugging-port=${port}`]);
  await signIn(page, url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const rows = [
    '| screen, signed in (Lighthouse 12, mobile) | accessibility | best practices | goal |',
    '|---|---:|---:|---|',
  ];
  const lost = [];
  for (const [what, path] of SCREENS) {
    log(`lighthouse: ${what}`);
    const { lhr } = await lighthouse(
      `${url}${path}`,
      { port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility', 'best-practices'], disableStorageReset: true },
      { extends: 'lighthouse:default', settings: { formFactor: 'mobile' } },
    );
    // A screen that sent the person to sign in would be scored as the sign-in screen.
    if (new URL(lhr.finalDisplayedUrl).pathname !== path) throw new Error(`${path} showed ${lhr.finalDisplayedUrl}`);
    const score = (category) => Math.round(lhr.categories[category].score * 100);
    const [accessibility, practices] = [score('accessibility'), score('best-practices')];
    rows.push(
      `| ${what} | ${accessibility} | ${practices} | both ≥ ${GOAL}: ${verdict(accessibility >= GOAL && practices >= GOAL)} |`,
    );
    for (const category of ['accessibility', 'best-practices']) {
      for (const ref of lhr.categories[category].auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) lost.push(`${what}, ${category}: ${audit.title}`);
      }
    }
  }
  await context.close();
  console.log(rows.join('\n'));
  console.log(lost.length === 0 ? '\nNo audit lost points.' : `\nAudits that lost points:\n\n${lost.map((l) => `- ${l}`).join('\n')}`);
} finally {
  cleanUp();
}
