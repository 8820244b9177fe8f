// Form checks: every form in its error state (axe, Nu, error summary focus and links), filled and sent
// with JavaScript and without, the message found in the mail folder; the network order by keyboard only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function luhnDigit(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
function swedishOrgnr() { const base = '556677889'; return `${base.slice(0, 6)}-${base.slice(6)}${luhnDigit(base)}`; }
function norwegianOrgnr() {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (let n = 31234560; ; n++) { // a 3-series number: real ones start with 8 or 9
    const d = String(n).split('').map(Number);
    const r = 11 - (d.reduce((s, x, i) => s + x * weights[i], 0) % 11);
    if (r === 10) continue;
    return String(n) + String(r === 11 ? 0 : r);
  }
}
function isoDate(daysAhead) {
  const d = new Date(Date.now() + daysAhead * 86400000);
  return d.toISOString().slice(0, 10);
}

/** A valid answer for every field of `def`, honouring the rules that tie fields together. */
export function validAnswers(def) {
  const fields = def.groups.flatMap((g) => g.fields);
  const values = {};
  let dates = 0;
  for (const f of fields) {
    switch (f.type) {
      case 'text': values[f.name] = (f.name.includes('domain') ? 'exempel-klinikk.no' : 'Test Testsson').slice(0, f.max_chars || 200); break;
      case 'long_text': values[f.name] = 'Provtext för webbläsartestet.'; break;
      case 'email': values[f.name] = `${f.name.replace(/_/g, '.')}@example.org`; break;
      case 'phone': values[f.name] = '08-123 456 78'; break;
      case 'date': values[f.name] = isoDate(30 + 10 * dates++); break;
      case 'yes_no': values[f.name] = 'yes'; break;
      case 'capacity': values[f.name] = '100'; values[`${f.name}_unit`] = 'Mbit/s'; break;
      case 'choice': values[f.name] = f.options[0].value; break;
      case 'identifier':
        values[f.name] = {
          personnummer: '19121212-1212', hsa_id: 'SE2321000016-1234',
          organisationsnummer: swedishOrgnr(), organisasjonsnummer: norwegianOrgnr(),
        }[f.identifier] || '';
        break;
      default: values[f.name] = 'x';
    }
  }
  for (const r of def.rules || []) {
    if (r.rule === 'allowed_values') {
      const [dep, allowed] = Object.entries(r.allowed).sort((a, b) => b[1].length - a[1].length)[0];
      values[r.depends_on] = dep;
      values[r.field] = allowed[Math.min(2, allowed.length - 1)];
    }
    if (r.rule === 'capacity_range') {
      const range = r.ranges[values[r.depends_on]] || Object.values(r.ranges)[0];
      values[r.field] = String(Math.max(1, Math.round(range.min_bps / 1e6) * 5));
      values[`${r.field}_unit`] = 'Mbit/s';
    }
  }
  return values;
}

/** Fills `values` into the form through the page, as a person would with a mouse. */
async function fill(page, def, values) {
  for (const f of def.groups.flatMap((g) => g.fields)) {
    const v = values[f.name];
    if (v === undefined) continue;
    const sel = `[name="${f.name}"]`;
    if (f.type === 'choice' && f.style === 'select') await page.selectOption(sel, v);
    else if ((f.type === 'choice') || f.type === 'yes_no') await page.check(`${sel}[value="${v}"]`);
    else await page.fill(sel, v);
    if (f.type === 'capacity') await page.selectOption(`[name="${f.name}_unit"]`, values[`${f.name}_unit`]);
  }
}

async function waitForMail(mailDir, reference, count) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    const hits = files.filter((f) => fs.readFileSync(path.join(mailDir, f), 'utf8').includes(reference));
    if (hits.length >= count || Date.now() > deadline) return hits;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function errorState(ctx, page, def, label, javaScript) {
  const { assert, axe, vnu } = ctx;
  await page.click('form.gp-form button[type="submit"]');
  await page.waitForSelector('.error-summary');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('error-summary'));
  assert(focused, `${label}: the error summary does not have focus`);
  const title = await page.title();
  assert(/^(Fel|Feil|Error): /.test(title), `${label}: title not prefixed: ${title}`);
  const html = await page.content();
  const file = path.join(os.tmpdir(), `gp-${def.id}-${label.replace(/\W+/g, '-')}.html`);
  fs.writeFileSync(file, html.startsWith('<!DOCTYPE') ? html : `<!DOCTYPE html>\n${html}`);
  vnu([file]);
  await axeOn(ctx, page, html, `${label} error state`, javaScript);
  const links = await page.$$eval('.error-summary a', (as) => as.map((a) => a.getAttribute('href')));
  assert(links.length > 0, `${label}: the summary lists no errors`);
  for (const href of links.slice(0, 3)) {
    await page.click(`.error-summary a[href="${href}"]`);
    const active = await page.evaluate(() => document.activeElement && document.activeElement.id);
    assert(`#${active}` === href, `${label}: the link ${href} moved focus to #${active}`);
    await page.focus('.error-summary');
  }
  const kept = await page.$$eval('.field-error:not([hidden])', (ps) => ps.length);
  assert(kept > 0, `${label}: no field shows its error`);
}

/** axe needs script: without JavaScript, the same HTML is checked in a second, scripted page. */
async function axeOn(ctx, page, html, label, javaScript) {
  if (javaScript) {
    return ctx.axe(page, label);
  }
  const context = await ctx.browser.newContext({ bypassCSP: true });
  const copy = await context.newPage();
  const url = page.url();
  await copy.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await copy.goto(url);
  try {
    await ctx.axe(copy, label);
  } finally {
    await context.close();
  }
}

export async function formChecks(ctx) {
  const { browser, base, site, mailDir, artifacts, check, assert, vnu } = ctx;
  const defs = JSON.parse(fs.readFileSync(path.join(site, 'forms/forms.json'), 'utf8')).forms;
  const pages = JSON.parse(fs.readFileSync(path.join(site, 'forms/pages.json'), 'utf8'));
  const receiptPages = [];
  for (const javaScript of [true, false]) {
    const mode = javaScript ? 'with JavaScript' : 'without JavaScript';
    const context = await browser.newContext({ javaScriptEnabled: javaScript, bypassCSP: true, locale: 'en-US' });
    const page = await context.newPage();
    const cspErrors = [];
    page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) cspErrors.push(m.text()); });
    for (const def of defs) {
      const url = `${base}/${pages[def.id].replace(/index\.html$/, '')}`;
      await check(`${def.id} ${mode}: error state`, async () => {
        await page.goto(url);
        await errorState(ctx, page, def, `${def.id} ${mode}`, javaScript);
        if (def.id === 'network-order') {
          for (const width of [360, 1280]) {
            await page.setViewportSize({ width, height: 900 });
            await page.screenshot({ path: path.join(artifacts, `form-errors-${javaScript ? 'js' : 'nojs'}-${width}.png`), fullPage: true });
          }
        }
      });
      await check(`${def.id} ${mode}: valid submission reaches the desk`, async () => {
        await page.goto(url);
        const values = validAnswers(def);
        await fill(page, def, values);
        await page.click('form.gp-form button[type="submit"]');
        let reference;
        if (javaScript) {
          await page.waitForSelector('.receipt .reference', { timeout: 10000 });
          reference = await page.textContent('.receipt .reference');
          const focused = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('receipt'));
          assert(focused, 'the receipt does not have focus');
          const announced = await page.textContent('#form-status');
          assert(announced.includes(reference), `the live region does not announce the reference: ${announced}`);
        } else {
          // The function's receipt page: the form's own page with the receipt where the form was.
          await page.waitForURL(/\/receipt\?ref=/, { timeout: 10000 });
          reference = new URL(page.url()).searchParams.get('ref');
          const shown = await page.textContent('#receipt .reference');
          assert(shown === reference, `the receipt page shows ${shown}, the address has ${reference}`);
          const title = await page.title();
          assert(/^(Skickat|Sendt|Sent): /.test(title), `receipt page title not prefixed: ${title}`);
          if ((def.receipt || '').trim()) {
            const next = await page.$$eval('#receipt h3 ~ p', (ps) => ps.length);
            assert(next > 0, 'the receipt page does not say what happens next');
          }
          assert(await page.$('form.gp-form') === null, 'the receipt page still shows the form');
          const html = await page.content();
          const file = path.join(os.tmpdir(), `gp-${def.id}-receipt.html`);
          fs.writeFileSync(file, html.startsWith('<!DOCTYPE') ? html : `<!DOCTYPE html>\n${html}`);
          receiptPages.push(file);
          await axeOn(ctx, page, html, `${def.id} receipt page`, false);
        }
        assert(/^[A-Z0-9-]{6,}$/.test(reference || ''), `no reference: ${reference}`);
        const expected = def.submitter_email ? 2 : 1;
        const hits = await waitForMail(mailDir, reference, expected);
        assert(hits.length === expected, `${hits.length} message(s) with ${reference} in ${mailDir}, expected ${expected}`);
        if (def.id === 'network-order') {
          const mailPage = await fetch(`${base}/_guidepost/mail/`).then((r) => r.text());
          assert(mailPage.includes(reference), `the mail page does not list ${reference}`);
        }
      });
    }
    if (!javaScript) {
      await check('the receipt pages pass the Nu validator', async () => {
        assert(receiptPages.length === defs.length, `${receiptPages.length} receipt pages for ${defs.length} forms`);
        vnu(receiptPages);
      });
    }
    await check(`no Content-Security-Policy violations ${mode}`, async () => {
      assert(cspErrors.length === 0, cspErrors.join('\n'));
    });
    await context.close();
  }
  await check('network-order by keyboard only (Tab, Space, arrows, Enter)', async () => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'en-US' });
    const page = await context.newPage();
    const def = defs.find((d) => d.id === 'network-order');
    await page.goto(`${base}/${pages[def.id].replace(/index\.html$/, '')}`);
    const values = validAnswers(def);
    await keyboardFill(page, values);
    await page.waitForSelector('.receipt .reference', { timeout: 10000 });
    const reference = await page.textContent('.receipt .reference');
    const hits = await waitForMail(mailDir, reference, 2);
    assert(hits.length === 2, `keyboard order: ${hits.length} message(s) for ${reference}`);
    await context.close();
  });
}

/** Tabs through the form from the top of the page, answering each control with the keyboard only. */
async function keyboardFill(page, values) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || !a.closest('form.gp-form')) return null;
      return { tag: a.tagName, type: a.type, name: a.name, value: a.value, checked: a.checked };
    });
    if (!el) continue;
    if (el.tag === 'BUTTON') { await page.keyboard.press('Enter'); return; }
    const want = values[el.name];
    if (want === undefined) continue;
    if (el.tag === 'SELECT') {
      for (let k = 0; k < 30; k++) {
        if (await page.evaluate(() => document.activeElement.value) === want) break;
        await page.keyboard.press('ArrowDown');
      }
    } else if (el.type === 'radio') {
      if (!el.checked) await page.keyboard.press('Space');
      for (let k = 0; k < 10; k++) {
        if (await page.evaluate(() => document.activeElement.value) === want) break;
        await page.keyboard.press('ArrowDown');
      }
    } else if (el.type === 'checkbox') {
      if (want === el.value && !el.checked) await page.keyboard.press('Space');
    } else if (!el.value) {
      await page.keyboard.type(want);
    }
  }
  throw new Error('never reached the submit button');
}
