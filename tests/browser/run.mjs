// Browser suite for guidepost: every built page and every form in its error state in real headless
// Chromium with axe-core (WCAG 2.0/2.1 A and AA) and the Nu HTML validator; forms submitted with and
// without JavaScript and by keyboard only; the account register's confirm, remind, extend and end
// links followed; screenshots kept as artefacts.
//
// Usage: node tests/browser/run.mjs --base http://127.0.0.1:PORT --site DIR --mail DIR [--artifacts DIR]
//        [--guidepost BIN]   (also checks live reload with a second `BIN serve` on a copy of the site)
// The server at --base must be `guidepost serve` (or equivalent) serving DIR with forms mailing to --mail.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formChecks } from './forms.mjs';
import { accountChecks } from './accounts.mjs';
import { devServerChecks } from './devserver.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const base = args.base;
const site = path.resolve(args.site);
const mailDir = path.resolve(args.mail);
const artifacts = path.resolve(args.artifacts || 'tests/artifacts');
fs.mkdirSync(artifacts, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];
async function check(name, fn) {
  try {
    await fn();
    passed++;
  } catch (e) {
    failed++;
    failures.push(`${name}: ${e.message}`);
    console.log(`FAIL ${name}\n  ${String(e.message).split('\n').join('\n  ')}`);
  }
}
function assert(cond, message) { if (!cond) throw new Error(message); }

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the open page; throws with every violation listed. */
export async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  }, AXE_TAGS);
  assert(result.length === 0, `${label}: ${result.length} axe violation(s):\n${result.join('\n')}`);
}

const vnuJar = path.join(here, 'node_modules/vnu-jar/build/dist/vnu.jar');
/** Validates HTML files (or one string written to a temp file) with the Nu validator. */
export function vnu(files) {
  try {
    execFileSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'text', ...files], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`Nu validator:\n${(e.stderr || e.stdout || e.message).toString().trim()}`);
  }
}

function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(p));
    else if (entry.name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function main() {
  const files = htmlFiles(site);
  const pages = files
    .filter((f) => !fs.readFileSync(f, 'utf8').includes('http-equiv="refresh"'))
    .map((f) => '/' + path.relative(site, f).replace(/index\.html$/, '').replace(/\\/g, '/'));
  await check(`Nu validator: ${files.length} built HTML files`, async () => vnu(files));

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: launchArgs });
  const context = await browser.newContext({ bypassCSP: true }); // axe-core is injected inline
  const thirdParty = [];
  context.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) thirdParty.push(r.url()); });
  const page = await context.newPage();
  await check('404: a missing address answers in the language of the section it points into', async () => {
    for (const [url, lang] of [['/stockholm/finns-inte/', 'sv'], ['/nhn/finnes-ikke/', 'nb'], ['/not-here/', 'en']]) {
      const response = await page.goto(base + url);
      assert(response && response.status() === 404, `${url}: HTTP ${response && response.status()}`);
      const shown = await page.evaluate(() => document.documentElement.lang);
      assert(shown === lang, `${url}: lang=${shown}, expected ${lang}`);
    }
  });
  for (const url of pages) {
    await check(`axe: ${url}`, async () => {
      const response = await page.goto(base + url);
      assert(response && (response.ok() || url.endsWith('/404.html')), `HTTP ${response && response.status()}`);
      await axe(page, url);
    });
  }
  // WCAG 1.4.10 Reflow: at 320 CSS px no page scrolls sideways (tables scroll inside their own region).
  const narrow = await browser.newPage({ viewport: { width: 320, height: 800 } });
  for (const url of pages) {
    await check(`reflow at 320px: ${url}`, async () => {
      await narrow.goto(base + url);
      const r = await narrow.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-scroll'))
          .slice(0, 3)
          .map((el) => `<${el.tagName.toLowerCase()}> "${(el.textContent || '').trim().slice(0, 40)}"`);
        return { scroll: document.documentElement.scrollWidth, width, wide };
      });
      assert(r.scroll <= r.width, `the page is ${r.scroll} px wide in a ${r.width} px window; too wide: ${r.wide.join(', ') || 'text inside an element'}`);
    });
    // WCAG 2.2 2.5.8 Target Size (Minimum): controls at least 24 × 24 CSS px.
    await check(`targets of 24px at 320px: ${url}`, async () => {
      const small = await narrow.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), button, select, textarea, summary')]
        .filter((el) => !el.closest('.visually-hidden, [hidden]'))
        .map((el) => [el, el.getBoundingClientRect()])
        .filter(([, r]) => r.width > 1 && r.height > 1 && (r.width < 24 || r.height < 24))
        .slice(0, 3)
        .map(([el, r]) => `${el.tagName.toLowerCase()}#${el.id} ${Math.round(r.width)}×${Math.round(r.height)}`));
      assert(small.length === 0, `controls under 24 × 24 px: ${small.join(', ')}`);
    });
  }
  await narrow.close();
  // Search: a known page found in each language by a word of its body and by an inflected form of it.
  const searches = [
    ['/sok/', ['anslutning', 'anslutningarna'], '/stockholm/natverk/anslutningstyper/'],
    ['/nhn/sok/', ['domene', 'domenet'], '/nhn/domene/'],
    ['/en/search/', ['statement', 'statements'], '/en/accessibility/'],
  ];
  for (const [searchPage, words, expected] of searches) {
    for (const word of words) {
      await check(`search ${searchPage} "${word}" finds ${expected}`, async () => {
        await page.goto(`${base}${searchPage}?q=${encodeURIComponent(word)}`);
        await page.waitForFunction(() => /\d/.test(document.getElementById('search-status').textContent)
          || document.getElementById('search-list').children.length > 0, null, { timeout: 15000 });
        const found = await page.$$eval('#search-list a', (links) => links.map((a) => a.getAttribute('href')));
        const status = await page.textContent('#search-status');
        assert(found.includes(expected), `results for "${word}": ${found.join(', ') || 'none'} (status: ${status})`);
        assert(await page.getAttribute('#search-status', 'role') === 'status', 'the count is not in a status region');
      });
    }
  }
  await check('axe: a search page with results', async () => {
    await page.goto(`${base}/sok/?q=anslutning`);
    await page.waitForSelector('#search-list li', { timeout: 15000 });
    await axe(page, '/sok/?q=anslutning');
  });
  await check('search from the header field of a page', async () => {
    await page.goto(`${base}/nhn/`);
    await page.fill('#header-search-q', 'domenet');
    await page.press('#header-search-q', 'Enter');
    await page.waitForSelector('#search-list li', { timeout: 15000 });
    assert(page.url().includes('/nhn/sok/?q=domenet'), `ended on ${page.url()}`);
  });
  await check('no request leaves the site', async () => {
    assert(thirdParty.length === 0, `third-party requests: ${thirdParty.join(', ')}`);
  });
  for (const width of [320, 360, 1280]) {
    const shot = await browser.newPage({ viewport: { width, height: 900 } });
    for (const [name, url] of [['home', '/'], ['data-table', '/stockholm/natverk/servicenivaer/'], ['wide-table', '/stockholm/support/'], ['form-privacy', '/stockholm/natverk/bestall/'], ['search', '/sok/?q=anslutning']]) {
      await check(`screenshot ${name} at ${width}px`, async () => {
        await shot.goto(base + url);
        if (name === 'search') await shot.waitForSelector('#search-list li', { timeout: 15000 });
        await shot.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
      });
    }
    await shot.close();
  }
  await formChecks({ browser, base, site, mailDir, artifacts, check, assert, axe, vnu, launchArgs });
  await accountChecks({ browser, base, site, mailDir, artifacts, check, assert, axe, vnu, launchArgs });
  if (args.guidepost) {
    await devServerChecks({ browser, guidepost: path.resolve(args.guidepost), repo: path.resolve(here, '../..'), check, assert });
  }
  await browser.close();
  console.log(failures.length ? `\nFailures:\n- ${failures.join('\n- ')}` : '');
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
