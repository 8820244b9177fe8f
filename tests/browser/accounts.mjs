// Account register checks: an external account ordered through the form, confirmed by the desk from
// the link in its mail, reminded 90 days before its end date, extended through the pre-filled form and
// ended through the confirmation page; used and tampered links answer with their own error pages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function isoDate(daysAhead, from = Date.now()) {
  return new Date(from + daysAhead * 86400000).toISOString().slice(0, 10);
}
const runTag = Date.now().toString(36).toUpperCase();
function addDays(iso, days) { return isoDate(days, Date.parse(`${iso}T00:00:00Z`)); }

/** Undoes quoted-printable: soft line breaks and =XX escapes, read as UTF-8. */
function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The decoded text/plain part of a MIME message. */
function plainText(eml) {
  const boundary = (eml.match(/boundary="([^"]+)"/) || [])[1];
  const parts = boundary ? eml.split(`--${boundary}`) : [eml];
  for (const part of parts) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split);
    if (boundary && !/^Content-Type:\s*text\/plain/im.test(headers)) continue;
    const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
    return /^Content-Transfer-Encoding:\s*quoted-printable/im.test(headers) ? decodeQuotedPrintable(body) : body;
  }
  throw new Error('no text/plain part in the message');
}

/** Waits for `name` in the mail folder and returns its decoded plain text. */
async function mailText(mailDir, name) {
  const file = path.join(mailDir, name);
  const deadline = Date.now() + 10000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) {
      const near = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.startsWith(name.slice(0, 12))) : [];
      throw new Error(`no ${name} in ${mailDir} (messages for that reference: ${near.join(', ') || 'none'})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return plainText(fs.readFileSync(file, 'utf8'));
}

function link(text, what) {
  const m = text.match(new RegExp(`https?://\\S+/forms/_accounts/${what}\\?t=\\S+`));
  if (!m) throw new Error(`no /forms/_accounts/${what}?t= link in the message:\n${text.slice(-600)}`);
  return m[0];
}

function nu(vnu, html, label) {
  const file = path.join(os.tmpdir(), `gp-account-${label.replace(/\W+/g, '-')}.html`);
  fs.writeFileSync(file, html.startsWith('<!DOCTYPE') ? html : `<!DOCTYPE html>\n${html}`);
  vnu([file]);
}

async function heading(page) {
  return (await page.textContent('#account-heading').catch(() => null)) || (await page.textContent('main h1, main h2'));
}

/** Orders an account through the form with JavaScript; returns the receipt's reference. */
async function order(ctx, page, person, start, end) {
  const { base, assert } = ctx;
  // The function gives an identical submission within its idempotency window the first one's
  // reference, so each run orders for a company of its own.
  const company = `Konsultbolaget ${runTag} AB`;
  await page.goto(`${base}/gavleborg/bestall-konto/`);
  const form = '#form-external-account';
  await page.check(`${form} [name="action"][value="order"]`);
  await page.fill(`${form} [name="person_name"]`, person);
  await page.fill(`${form} [name="person_personnummer"]`, '19121212-1212');
  await page.selectOption(`${form} [name="person_kind"]`, 'consultant');
  await page.fill(`${form} [name="person_company"]`, company);
  await page.fill(`${form} [name="person_email"]`, 'ada@konsult.example');
  await page.check(`${form} [name="card"][value="no"]`);
  await page.fill(`${form} [name="start_date"]`, start);
  await page.fill(`${form} [name="end_date"]`, end);
  await page.fill(`${form} [name="contact_name"]`, 'Kim Kontakt');
  await page.fill(`${form} [name="contact_email"]`, 'kim@region.example');
  await page.fill(`${form} [name="orderer_name"]`, 'Olle Chef');
  await page.fill(`${form} [name="orderer_email"]`, 'olle@region.example');
  await page.check(`${form} [name="orderer_role"][value="manager"]`);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('.receipt .reference', { timeout: 10000 });
  const reference = (await page.textContent('.receipt .reference')).trim();
  assert(/^GP-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(reference), `no reference on the receipt: ${reference}`);
  return reference;
}

/** Opens the confirm link from the desk mail and confirms `end` as the end date. */
async function confirm(ctx, page, reference, end) {
  const { mailDir, assert } = ctx;
  const url = link(await mailText(mailDir, `${reference}-desk.eml`), 'confirm');
  const response = await page.goto(url);
  assert(response.status() === 200, `${url}: HTTP ${response.status()}`);
  await page.fill('#account-end', end);
  await page.click('button:has-text("Bekräfta")');
  await page.waitForLoadState();
  const text = await page.textContent('main');
  assert(text.includes('är bekräftat'), `confirming ${reference}: the page does not say "är bekräftat": ${text.trim().slice(-300)}`);
}

/** Runs the reminders for `today` through the dev server's mail page. */
async function remind(ctx, page, today) {
  const { base, assert } = ctx;
  const response = await page.request.post(`${base}/_guidepost/remind`, { form: { today }, maxRedirects: 0 });
  assert(response.status() === 303, `POST /_guidepost/remind today=${today}: HTTP ${response.status()}`);
  const to = response.headers().location || '';
  assert(to.includes('/_guidepost/mail'), `the reminder run redirects to ${to}, not the mail page`);
}

export async function accountChecks(ctx) {
  const { browser, base, mailDir, check, assert, axe, vnu } = ctx;
  const context = await browser.newContext({ bypassCSP: true, locale: 'sv-SE' });
  const page = await context.newPage();
  const start = isoDate(7);
  const end = isoDate(100);
  const compact = (iso) => iso.replace(/-/g, '');
  const state = {};

  await check('account: an order through the form reaches the desk with a confirm link', async () => {
    state.ref = await order(ctx, page, 'Ada Extern', start, end);
    state.confirm = link(await mailText(mailDir, `${state.ref}-desk.eml`), 'confirm');
  });

  await check('account: the confirm page (axe, Nu, pre-filled end date)', async () => {
    assert(state.confirm, 'no confirm link from the order');
    const response = await page.goto(state.confirm);
    assert(response.status() === 200, `HTTP ${response.status()}`);
    const h = (await heading(page)).trim();
    assert(h === 'Bekräfta konto', `heading "${h}"`);
    const label = await page.textContent('label[for="account-end"]');
    assert(label.trim() === 'Slutdatum', `the end-date field is labelled "${label}"`);
    const value = await page.inputValue('#account-end');
    assert(value === end, `the end date is pre-filled with "${value}", expected ${end}`);
    assert(await page.$('button:has-text("Bekräfta")'), 'no "Bekräfta" button');
    nu(vnu, await page.content(), 'confirm'); // before axe adds its script
    await axe(page, 'confirm page');
  });

  await check('account: the confirm page rejects 2027-02-30 with 422, keeps the value, shows the error', async () => {
    await page.goto(state.confirm);
    await page.fill('#account-end', '2027-02-30');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/forms/_accounts/confirm')),
      page.click('button:has-text("Bekräfta")'),
    ]);
    await page.waitForLoadState();
    assert(response.status() === 422, `HTTP ${response.status()}, expected 422`);
    const value = await page.inputValue('#account-end');
    assert(value === '2027-02-30', `the typed value is not kept: "${value}"`);
    // The error is shown next to the field and read out with it.
    const error = await page.evaluate(() => {
      const input = document.getElementById('account-end');
      const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/);
      const shown = [...input.closest('.field').querySelectorAll('.field-error')].filter((e) => !e.hidden && e.textContent.trim());
      return { text: shown.map((e) => e.textContent.trim()).join(' '), linked: shown.some((e) => ids.includes(e.id)), invalid: input.getAttribute('aria-invalid') };
    });
    assert(error.text, 'no error text next to the field');
    assert(error.linked, `the error "${error.text}" is not in the field's aria-describedby`);
    assert(error.invalid === 'true', `aria-invalid is ${error.invalid}`);
    nu(vnu, await page.content(), 'confirm-invalid');
    await axe(page, 'confirm page with an invalid date');
  });

  await check('account: the desk confirms the account with a valid end date', async () => {
    await page.goto(state.confirm);
    await page.fill('#account-end', end);
    await page.click('button:has-text("Bekräfta")');
    await page.waitForLoadState();
    const text = await page.textContent('main');
    assert(text.includes('är bekräftat'), `the page does not say "är bekräftat": ${text.trim().slice(-300)}`);
    state.confirmed = true;
  });

  await check('account: the reminder run 90 days before the end date mails extend and end links', async () => {
    assert(state.confirmed, 'the account was not confirmed');
    await remind(ctx, page, addDays(end, -90));
    const text = await mailText(mailDir, `${state.ref}-r90-${compact(end)}-reminder.eml`);
    state.extend = link(text, 'extend');
    state.end = link(text, 'end');
  });

  await check('account: the extend link opens the form pre-filled (axe)', async () => {
    assert(state.extend, 'no extend link from the reminder');
    const response = await page.goto(state.extend);
    assert(response.status() === 200, `HTTP ${response.status()}`);
    const form = '#form-external-account';
    assert(await page.isChecked(`${form} [name="action"][value="extend"]`), '"extend" is not checked');
    const got = {
      person_name: await page.inputValue(`${form} [name="person_name"]`),
      contact_email: await page.inputValue(`${form} [name="contact_email"]`),
      end_date: await page.inputValue(`${form} [name="end_date"]`),
    };
    const want = { person_name: 'Ada Extern', contact_email: 'kim@region.example', end_date: end };
    for (const k of Object.keys(want)) assert(got[k] === want[k], `${k} is "${got[k]}", expected "${want[k]}"`);
    const account = await page.$eval(`${form} input[type="hidden"][name="gp_account"]`, (i) => i.value).catch(() => null);
    assert(account, 'no hidden gp_account input');
    await axe(page, 'extend form');
  });

  await check('account: the extension is sent with a later end date and reaches the desk', async () => {
    const form = '#form-external-account';
    const later = addDays(end, 60);
    await page.fill(`${form} [name="end_date"]`, later);
    await page.fill(`${form} [name="person_personnummer"]`, '19121212-1212');
    await page.selectOption(`${form} [name="person_kind"]`, 'consultant');
    await page.fill(`${form} [name="person_company"]`, `Konsultbolaget ${runTag} AB`);
    await page.check(`${form} [name="card"][value="no"]`);
    await page.fill(`${form} [name="contact_name"]`, 'Kim Kontakt');
    await page.fill(`${form} [name="orderer_name"]`, 'Olle Chef');
    await page.fill(`${form} [name="orderer_email"]`, 'olle@region.example');
    await page.check(`${form} [name="orderer_role"][value="manager"]`);
    await page.click(`${form} button[type="submit"]`);
    await page.waitForSelector('.receipt .reference', { timeout: 10000 });
    const reference = (await page.textContent('.receipt .reference')).trim();
    assert(/^GP-[A-Z0-9-]+$/.test(reference) && reference !== state.ref, `receipt reference "${reference}"`);
    const text = await mailText(mailDir, `${reference}-desk.eml`);
    link(text, 'confirm');
    assert(text.includes(`förlängning av konto ${state.ref}`), `the desk mail does not say "förlängning av konto ${state.ref}"`);
  });

  await check('account: the end link of the same reminder is used up after the extension (409)', async () => {
    assert(state.end, 'no end link from the reminder');
    const response = await page.goto(state.end);
    assert(response.status() === 409, `HTTP ${response.status()}, expected 409`);
    const h = (await heading(page)).trim();
    assert(h === 'Länken är redan använd', `heading "${h}"`);
    await axe(page, 'used link page');
  });

  await check('account: a tampered link answers 400 "Länken fungerar inte" (axe, Nu)', async () => {
    assert(state.extend, 'no extend link from the reminder');
    const last = state.extend.slice(-1);
    const tampered = state.extend.slice(0, -1) + (last === '0' ? '1' : '0');
    const response = await page.goto(tampered);
    assert(response.status() === 400, `HTTP ${response.status()}, expected 400`);
    const h = (await heading(page)).trim();
    assert(h === 'Länken fungerar inte', `heading "${h}"`);
    nu(vnu, await page.content(), 'broken-link');
    await axe(page, 'broken link page');
  });

  const end2 = isoDate(110);
  await check('account: a second account confirmed and reminded', async () => {
    state.ref2 = await order(ctx, page, 'Bo Extern', start, end2);
    await confirm(ctx, page, state.ref2, end2);
    await remind(ctx, page, addDays(end2, -90));
    state.end2 = link(await mailText(mailDir, `${state.ref2}-r90-${compact(end2)}-reminder.eml`), 'end');
  });

  await check('account: the end link asks first and sends nothing on opening (axe, Nu)', async () => {
    assert(state.end2, 'no end link for the second account');
    const response = await page.goto(state.end2);
    assert(response.status() === 200, `HTTP ${response.status()}`);
    const h = (await heading(page)).trim();
    assert(h === 'Avsluta kontot?', `heading "${h}"`);
    assert(await page.$('button:has-text("Avsluta kontot")'), 'no "Avsluta kontot" button');
    nu(vnu, await page.content(), 'end');
    await axe(page, 'end page');
    await new Promise((r) => setTimeout(r, 300));
    const sent = fs.readdirSync(mailDir).filter((f) => f.startsWith(`${state.ref2}-E`) && f.endsWith('-desk.eml'));
    assert(sent.length === 0, `opening the end link already mailed the desk: ${sent.join(', ')}`);
  });

  await check('account: ending the account mails the desk once; the same token again answers 409', async () => {
    assert(state.end2, 'no end link for the second account');
    await page.goto(state.end2);
    const action = await page.$eval('button:has-text("Avsluta kontot")', (b) => new URL(b.form.action, location.href).href);
    const fields = await page.$eval('button:has-text("Avsluta kontot")', (b) => Object.fromEntries(new FormData(b.form)));
    await page.click('button:has-text("Avsluta kontot")');
    await page.waitForLoadState();
    const text = await page.textContent('main');
    assert(text.includes('Begäran är skickad'), `the page does not say "Begäran är skickad": ${text.trim().slice(-300)}`);
    assert(text.includes(`${state.ref2}-E1`), `the page does not show the reference ${state.ref2}-E1`);
    await mailText(mailDir, `${state.ref2}-E1-desk.eml`);
    const again = await page.request.post(action, { form: fields, maxRedirects: 0 });
    assert(again.status() === 409, `the same token posted again: HTTP ${again.status()}, expected 409`);
  });

  await check('serve: the editors\' page lists review work by editor and where each data file and form is shown', async () => {
    const response = await page.goto(`${base}/_guidepost/editor/`);
    assert(response.status() === 200, `HTTP ${response.status()}`);
    const text = await page.textContent('main');
    for (const expected of ['Review and use of content', 'Exempelredaktionen för guidepost', 'No reviewer', 'gavleborg_reminders', '/gavleborg/paminnelser/', 'external-account']) {
      assert(text.includes(expected), `the editors' page does not show "${expected}"`);
    }
    nu(vnu, await page.content(), 'editor');
    await axe(page, 'editors page');
  });

  await context.close();
}
