// guidepost forms: checks in the browser from the form definitions the build exports
// (/forms/forms.json and the same messages the server uses, /forms/messages.json), inline errors
// with an error summary, and sending with fetch, announcing the receipt in a live region.
// Without this script every form still works: a plain POST and errors rendered by the server.
(function () {
  'use strict';

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function chars(s) { return Array.from(s).length; }

  var originalTitle = document.title.replace(/^(Fel|Feil|Error): /, '');

  // Character counts on long texts.
  function setupCounts(form) {
    $all('textarea[data-max-chars]', form).forEach(function (area) {
      var count = document.getElementById(area.id + '-count');
      if (!count) return;
      var max = Number(area.dataset.maxChars);
      var initial = count.textContent;
      var timer;
      function update() {
        var n = chars(area.value);
        count.classList.toggle('char-count--over', n > max);
        count.textContent = n === 0 ? initial : n + ' / ' + max;
      }
      area.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 300); });
      update();
    });
  }

  // Summary links move focus to the field (and show its label or legend).
  function linkSummary(summary) {
    $all('a[href^="#"]', summary).forEach(function (a) {
      a.addEventListener('click', function (e) {
        var input = document.getElementById(a.getAttribute('href').slice(1));
        if (!input) return;
        e.preventDefault();
        var holder = input.closest('fieldset') || input.closest('.form-field') || input;
        holder.scrollIntoView();
        input.focus({ preventScroll: true });
      });
    });
  }

  function clearErrors(form) {
    var old = $('.error-summary', form);
    if (old) old.remove();
    $all('.form-field--error', form).forEach(function (w) { w.classList.remove('form-field--error'); });
    $all('.field-error', form).forEach(function (p) { p.textContent = ''; p.hidden = true; });
    $all('[aria-invalid]', form).forEach(function (el) { el.removeAttribute('aria-invalid'); });
    document.title = originalTitle;
  }

  function describe(el, id) {
    var ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (ids.indexOf(id) < 0) ids.push(id);
    el.setAttribute('aria-describedby', ids.join(' '));
  }

  // Shows errors ({name: [messages]}) in definition order, like the server does.
  function showErrors(form, def, msgs, errors) {
    clearErrors(form);
    var items = [];
    fieldsOf(def).forEach(function (field) {
      var list = errors[field.name];
      if (!list || !list.length) return;
      var id = 'f-' + field.name;
      var wrapper = $('[data-field="' + field.name + '"]', form);
      var slot = document.getElementById(id + '-error');
      if (wrapper) wrapper.classList.add('form-field--error');
      if (slot) {
        slot.textContent = list.join('. ');
        slot.hidden = false;
      }
      $all('input, select, textarea', wrapper || form).forEach(function (el) {
        if (el.name === field.name) el.setAttribute('aria-invalid', 'true');
      });
      var group = wrapper && $('fieldset', wrapper);
      var target = group || document.getElementById(id);
      if (target) describe(target, id + '-error');
      list.forEach(function (m) { items.push([id, m]); });
    });
    if (!items.length) return;
    var summary = document.createElement('div');
    summary.className = 'error-summary';
    summary.setAttribute('role', 'alert');
    summary.setAttribute('tabindex', '-1');
    summary.setAttribute('aria-labelledby', 'error-summary-title');
    var h = document.createElement('h2');
    h.className = 'error-summary-title';
    h.id = 'error-summary-title';
    h.textContent = msgs.summary;
    var ul = document.createElement('ul');
    ul.className = 'error-summary-list';
    items.forEach(function (item) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#' + item[0];
      a.textContent = item[1];
      li.append(a);
      ul.append(li);
    });
    summary.append(h, ul);
    form.prepend(summary);
    linkSummary(summary);
    document.title = msgs.title_prefix + originalTitle;
    summary.focus();
  }

  function fieldsOf(def) {
    return def.groups.reduce(function (all, g) { return all.concat(g.fields); }, []);
  }

  function valuesOf(form) {
    var data = new FormData(form);
    var out = {};
    data.forEach(function (v, k) {
      if (typeof v !== 'string') return;
      if (Object.prototype.hasOwnProperty.call(out, k)) {
        out[k] = [].concat(out[k], v);
      } else {
        out[k] = v;
      }
    });
    return out;
  }

  function filled(v) {
    return Array.isArray(v) ? v.some(function (x) { return x.trim() !== ''; }) : (v || '').trim() !== '';
  }

  // The checks that need no server: required (also when another field asks for it), lengths,
  // e-mail and date shape, yes where yes is needed. Identity numbers are checked by the server.
  function check(def, msgs, values) {
    var errors = {};
    var requiredBy = {};
    var mustBeYes = {};
    (def.rules || []).forEach(function (r) {
      if (r.rule === 'required_when' && values[r.when.field] === r.when.equals) requiredBy[r.field] = true;
      if (r.rule === 'must_be_yes') mustBeYes[r.field] = true;
    });
    fieldsOf(def).forEach(function (f) {
      var m = msgs.fields[f.name] || {};
      var v = values[f.name];
      var say = function (text) { if (text) (errors[f.name] = errors[f.name] || []).push(text); };
      if (!filled(v)) {
        if (f.required || requiredBy[f.name]) say(m.required);
        return;
      }
      var text = Array.isArray(v) ? v[0] : v;
      if (f.max_chars && chars(text) > f.max_chars) say(m.too_long.replace('{got}', String(chars(text))));
      if (f.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim())) say(m.email);
      if (f.type === 'date' && !/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(text)) say(m.date_format);
      if (f.type === 'yes_no' && mustBeYes[f.name] && text !== 'yes') say(m.must_be_yes);
    });
    return errors;
  }

  // Options that the chosen value of another field does not allow are disabled (the server checks too).
  function setupDependencies(form, def) {
    (def.rules || []).filter(function (r) { return r.rule === 'allowed_values'; }).forEach(function (r) {
      function apply() {
        var chosen = valuesOf(form)[r.depends_on];
        var allowed = r.allowed[chosen];
        $all('[name="' + r.field + '"]', form).forEach(function (input) {
          if (input.tagName === 'SELECT') return;
          input.disabled = Boolean(allowed) && allowed.indexOf(input.value) < 0;
          if (input.disabled) input.checked = false;
        });
      }
      $all('[name="' + r.depends_on + '"]', form).forEach(function (el) { el.addEventListener('change', apply); });
      apply();
    });
  }

  function showReceipt(form, def, msgs, reference) {
    var box = document.createElement('div');
    box.className = 'receipt';
    box.id = 'receipt';
    box.setAttribute('tabindex', '-1');
    var h = document.createElement('h2');
    h.textContent = msgs.thanks;
    var p = document.createElement('p');
    p.textContent = msgs.reference + ' ';
    var strong = document.createElement('strong');
    strong.className = 'reference';
    strong.textContent = reference;
    p.append(strong);
    var h3 = document.createElement('h3');
    h3.textContent = msgs.next;
    box.append(h, p, h3);
    (def.receipt || '').split(/\n\s*\n/).forEach(function (para) {
      if (!para.trim()) return;
      var q = document.createElement('p');
      q.textContent = para.trim();
      box.append(q);
    });
    form.replaceWith(box);
    var status = document.getElementById('form-status');
    if (status) status.textContent = msgs.thanks + ' ' + msgs.reference + ' ' + reference;
    box.focus();
  }

  // A field named "submit" would shadow form.submit.
  function plainSubmit(form) { HTMLFormElement.prototype.submit.call(form); }

  var loadedAt = Date.now();

  // The time spent on the page, for the function's minimum-time-to-fill check against bots.
  function stampElapsed(form) {
    var field = form.querySelector('input[name="gp_elapsed_ms"]');
    if (field) field.value = String(Date.now() - loadedAt);
  }

  function setup(form, def, msgs) {
    setupCounts(form);
    setupDependencies(form, def);
    var status = document.createElement('div');
    status.id = 'form-status';
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    form.before(status);
    var sending = false;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (sending) return;
      stampElapsed(form);
      var values = valuesOf(form);
      var errors = check(def, msgs, values);
      if (Object.keys(errors).length) { showErrors(form, def, msgs, errors); return; }
      sending = true;
      var button = $('button[type="submit"]', form);
      if (button) button.disabled = true;
      fetch(form.getAttribute('action'), { // not form.action: a field may be named "action"
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(values),
        credentials: 'same-origin'
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
      }).then(function (res) {
        sending = false;
        if (button) button.disabled = false;
        if (res.status === 200 && res.body.reference) return showReceipt(form, def, msgs, res.body.reference);
        if (res.status === 422 && res.body.errors) return showErrors(form, def, msgs, res.body.errors);
        plainSubmit(form); // anything else: let the server answer the plain way
      }).catch(function () { sending = false; plainSubmit(form); });
    });
  }

  function init() {
    // The page the function shows after a plain post: its receipt takes focus, like the one built here.
    var shown = $('.receipt[tabindex]');
    if (shown) shown.focus();
    var existing = $('.error-summary');
    if (existing) { linkSummary(existing); existing.focus(); }
    var forms = $all('form.gp-form[data-form]');
    if (!forms.length) return;
    Promise.all([
      fetch('/forms/forms.json').then(function (r) { return r.json(); }),
      fetch('/forms/messages.json').then(function (r) { return r.json(); })
    ]).then(function (loaded) {
      forms.forEach(function (form) {
        var def = loaded[0].forms.filter(function (f) { return f.id === form.dataset.form; })[0];
        var msgs = loaded[1][form.dataset.form];
        if (def && msgs) setup(form, def, msgs);
      });
    }).catch(function () { /* the plain form keeps working */ });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
