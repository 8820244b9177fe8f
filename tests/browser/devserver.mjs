// `guidepost serve` as an editor uses it: edit a Markdown file and the open tab reloads with the change;
// break it and the tab shows the build error while the last good page keeps being served; mend it again.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(fn, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function devServerChecks({ browser, guidepost, repo, check, assert }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-serve-'));
  fs.cpSync(path.join(repo, 'content'), path.join(root, 'content'), { recursive: true });
  fs.cpSync(path.join(repo, 'site'), path.join(root, 'site'), { recursive: true });
  const port = await freePort();
  const server = spawn(guidepost, ['serve', '--root', root, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const file = path.join(root, 'content/stockholm/natverk/kostnader.md');
  const original = fs.readFileSync(file, 'utf8');
  try {
    await waitFor(() => fetch(base + '/').then((r) => r.ok, () => false), 30000, 'guidepost serve to answer');
    const page = await (await browser.newContext()).newPage();
    await page.goto(base + '/stockholm/natverk/kostnader/');
    await check('serve: an edited page reloads in the open tab with the change', async () => {
      const reloaded = page.waitForEvent('load', { timeout: 15000 });
      fs.writeFileSync(file, original.replace(/\n---\n/, '\n---\n\nÄndrat av webbläsartestet.\n'));
      await reloaded;
      assert((await page.content()).includes('Ändrat av webbläsartestet.'), 'the change is not on the page');
    });
    await check('serve: a build error shows in the tab and the last good page stays', async () => {
      fs.writeFileSync(file, original.replace('title:', 'titel:'));
      await page.waitForSelector('#gp-build-error', { timeout: 15000 });
      const text = await page.textContent('#gp-build-error');
      assert(text.includes('content/stockholm/natverk/kostnader.md') && text.includes('unknown key `titel`'), text);
      const still = await fetch(base + '/stockholm/natverk/kostnader/').then((r) => r.text());
      assert(still.includes('Ändrat av webbläsartestet.'), 'the last good page is no longer served');
      assert(/unknown key `titel`/.test(log), 'the terminal does not show the error');
    });
    await check('serve: mending the error reloads the tab', async () => {
      const reloaded = page.waitForEvent('load', { timeout: 15000 });
      fs.writeFileSync(file, original);
      await reloaded;
      assert(!(await page.$('#gp-build-error')), 'the error is still shown');
    });
    await check('serve: a new desk and a form routed to it work after a save, with no restart', async () => {
      const desks = path.join(root, 'content/desks.yaml');
      fs.appendFileSync(desks, '\nhelpdesk:\n  name: Testdesken\n  addresses: [testdesk@desk.example]\n');
      fs.writeFileSync(path.join(root, 'content/forms/testdesk.yaml'), [
        'id: testdesk', 'lang: sv', 'title: Fråga testdesken', 'intro: Ett formulär som webbläsartestet lägger till.',
        'groups:', '  - legend: Frågan', '    fields:',
        '      - {name: question, label: Din fråga, type: long_text, max_chars: 500}',
        'routing:', '  - desk: helpdesk', 'receipt: Testdesken svarar inte, den finns bara i testet.', '',
      ].join('\n'));
      fs.writeFileSync(path.join(root, 'content/testdesk.md'), [
        '---', 'title: Testdesken', 'description: En sida som webbläsartestet lägger till.', 'lang: sv',
        'weight: 99', 'updated: 2026-12-03', 'reviewed: 2026-12-03', 'form: testdesk', '---', '', 'Skriv en fråga.', '',
      ].join('\n'));
      await waitFor(() => fetch(base + '/testdesk/').then((r) => r.ok, () => false), 20000, 'the new page');
      const form = await (await browser.newContext()).newPage();
      await form.goto(base + '/testdesk/');
      await form.fill('#f-question', 'Hur når jag testdesken?');
      await form.click('#form-testdesk button[type=submit]');
      await form.waitForSelector('text=/GP-[A-Z0-9]{4}-[A-Z0-9]{4}/', { timeout: 15000 });
      const mail = await fetch(base + '/_guidepost/mail/').then((r) => r.text());
      assert(mail.includes('testdesk@desk.example') && mail.includes('Hur når jag testdesken?'), 'the desk mail is not on the mail page');
    });
    await check('serve: a form routed to a desk content/desks.yaml does not list is an error that says which desks exist', async () => {
      const formFile = path.join(root, 'content/forms/testdesk.yaml');
      fs.writeFileSync(formFile, fs.readFileSync(formFile, 'utf8').replace('desk: helpdesk', 'desk: helpdeks'));
      await page.reload();
      await page.waitForSelector('#gp-build-error', { timeout: 15000 });
      const text = await page.textContent('#gp-build-error');
      assert(text.includes('content/forms/testdesk.yaml') && text.includes('did you mean `helpdesk`'), text);
      assert(/content\/desks\.yaml does not list/.test(log), 'the terminal does not show the error');
      fs.writeFileSync(formFile, fs.readFileSync(formFile, 'utf8').replace('desk: helpdeks', 'desk: helpdesk'));
    });
  } finally {
    server.kill();
    fs.writeFileSync(file, original);
    fs.rmSync(root, { recursive: true, force: true });
  }
}
