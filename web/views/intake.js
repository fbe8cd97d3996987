// intake.js: the intake form (POST /api/intakes), made for a hotline-111
// operator on a live call: the keyboard only, defaults for the common case
// (hotline 111, now, Vietnamese, normal urgency, the unit's place, chosen
// with the province and commune picker of place-picker.js),
// Ctrl+Enter saves from anywhere in the form, Alt+1..4 set the urgency,
// Enter alone never sends a half-typed intake. A repeat-contact notice
// (GET /api/intakes/repeat) follows the reporter's phone.
//
// Double submission: each intake shown carries an Idempotency-Key (kept
// across retries of the same intake, new once one is saved or the form is
// cleared); the button is disabled while a save is in flight. A second
// request with the key answers 200 with the first record: said so.
import { get, post, withQuery } from '../api.js';
import { h, field, alertBox, setText, time } from '../dom.js';
import { t, pick } from '../i18n.js';
import { errorKey } from './errors.js';
import { CHANNELS, PURPOSES, URGENCIES, CLASSIFICATIONS, LANGUAGES } from './intake-codes.js';
import { placePicker } from './place-picker.js';

export const SUMMARY_MAX = 4000; // characters (code points), as the server counts
export const MENTIONS_MAX = 10;

// 32 hex digits; crypto.getRandomValues works outside secure contexts too.
export function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

const p2 = (n) => String(n).padStart(2, '0');

// Now, to the minute, as a datetime-local value (local time).
export function localNow(d = new Date()) {
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

// A datetime-local value (local time) as UTC "YYYY-MM-DDTHH:MM:SSZ"; null if none.
export function toUtc(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const d = new Date(value); // no offset: local time
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// "a, b\nc" -> ['a', 'b', 'c'] (commas, semicolons or new lines).
export function splitList(s) {
  return s.split(/[,;\n]/).map((x) => x.trim().normalize('NFC')).filter(Boolean);
}

const chars = (s) => [...s].length;

export function render(ctx) {
  ctx.setTitle('intake.title');
  const unit = ctx.user?.org_unit ?? {};
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true });
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });

  // The call.
  const channelSel = h('select', { 'data-autofocus': true },
    CHANNELS.map((c) => h('option', { value: c, i18n: `channel.${c}` })));
  const channel = field({ name: 'channel', label: 'intake.channel', required: true, control: channelSel });
  const received = field({ name: 'received_at', label: 'intake.received_at', type: 'datetime-local',
    required: true, hint: 'intake.received_at_hint' });
  const langSel = h('select', {},
    LANGUAGES.map((l) => h('option', { value: l, i18n: `intake.language.${l}` })));
  const language = field({ name: 'language', label: 'intake.language', control: langSel });

  // The reporter.
  const anonBox = h('input', { type: 'checkbox', id: 'intake-anonymous', name: 'anonymous' });
  const rname = field({ name: 'reporter_name', label: 'intake.reporter_name',
    attrs: { autocomplete: 'off', maxlength: 200, spellcheck: 'false' } });
  const rphone = field({ name: 'reporter_phone', label: 'intake.reporter_phone', type: 'tel',
    hint: 'intake.reporter_phone_hint', attrs: { autocomplete: 'off', inputmode: 'tel', maxlength: 20 } });
  // The repeat-contact notice: a live region that stays in place, filled
  // and emptied, so that screen readers announce what appears in it.
  const repeat = h('div', { id: 'intake-repeat', class: 'repeat-live', 'aria-live': 'polite' });
  rphone.input.setAttribute('aria-describedby',
    `${rphone.input.getAttribute('aria-describedby')} intake-repeat`);
  const reporterFields = h('div', { class: 'reporter-fields' }, rname.el, rphone.el);
  const reporterSet = h('fieldset', { class: 'group reporter' },
    h('legend', { i18n: 'intake.reporter' }),
    h('div', { class: 'check' }, anonBox, h('label', { for: 'intake-anonymous', i18n: 'intake.anonymous' })),
    reporterFields,
    repeat);

  // Where: the province, then one of its communes (or none).
  const place = placePicker({
    province: { name: 'province', label: 'intake.place.province', required: true },
    commune: { name: 'commune', label: 'intake.place.commune', hint: 'intake.place.commune_hint' },
    provinceEmpty: 'person.choose', communeEmpty: 'intake.place.commune_none' });
  const { province, commune } = place;

  // What.
  const summaryArea = h('textarea', { rows: 5, spellcheck: 'true', maxlength: SUMMARY_MAX });
  const summary = field({ name: 'summary', label: 'intake.summary', required: true, control: summaryArea });
  const counter = h('p', { id: 'intake-summary-count', class: 'hint counter' });
  summaryArea.setAttribute('aria-describedby',
    `intake-summary-count ${summaryArea.getAttribute('aria-describedby')}`);
  summary.el.insertBefore(counter, summary.el.querySelector('.field-error'));
  const phones = field({ name: 'mentioned_phones', label: 'intake.mentioned_phones', hint: 'intake.list_hint',
    control: h('textarea', { rows: 2, spellcheck: 'false', inputmode: 'tel', maxlength: MENTIONS_MAX * 30 }) });
  const names = field({ name: 'mentioned_names', label: 'intake.mentioned_names', hint: 'intake.list_hint',
    control: h('textarea', { rows: 2, spellcheck: 'false', maxlength: MENTIONS_MAX * 201 }) });

  // Urgency: radios, Alt+1..4.
  const urgencyErr = h('p', { id: 'intake-urgency-err', class: 'field-error', role: 'alert', hidden: true });
  const radios = URGENCIES.map((u, i) => {
    const id = `intake-urgency-${u}`;
    const r = h('input', { type: 'radio', name: 'urgency', id, value: u, 'aria-keyshortcuts': `Alt+${i + 1}` });
    return {
      u,
      r,
      el: h('div', { class: `check urgency-${u}` }, r,
        h('label', { for: id }, h('span', { i18n: `intake.urgency.${u}` }), ' ',
          h('kbd', { 'aria-hidden': 'true', text: `Alt+${i + 1}` }))),
    };
  });
  const urgencySet = h('fieldset', { class: 'group urgency', 'aria-describedby': 'intake-urgency-err' },
    h('legend', { i18n: 'intake.urgency' }),
    h('div', { class: 'radios' }, radios.map((x) => x.el)),
    urgencyErr);

  // Classification (optional at intake).
  const classSel = h('select', {},
    h('option', { value: '', i18n: 'intake.classification_none' }),
    CLASSIFICATIONS.map((c) => h('option', { value: c, i18n: `intake.classification.${c}` })));
  const classification = field({ name: 'classification', label: 'intake.classification', control: classSel });
  const purposeSel = h('select', {},
    h('option', { value: '', i18n: 'intake.purpose_none' }),
    PURPOSES.map(([top, subs]) => (subs.length
      ? h('optgroup', { attrs: { label: `purpose.${top}` } },
        h('option', { value: top, i18n: `purpose.${top}` }),
        subs.map((s) => h('option', { value: s, i18n: `purpose.${s}` })))
      : h('option', { value: top, i18n: `purpose.${top}` }))));
  const purpose = field({ name: 'purpose', label: 'intake.purpose', control: purposeSel });

  const submit = h('button', { type: 'submit', class: 'primary', 'aria-keyshortcuts': 'Control+Enter' },
    h('span', { i18n: 'intake.submit' }), ' ', h('kbd', { 'aria-hidden': 'true', text: 'Ctrl+Enter' }));
  const clear = h('button', { type: 'button', class: 'secondary', i18n: 'intake.clear' });

  const form = h('form', { class: 'card intake-form', novalidate: true, 'aria-labelledby': 'intake-h',
    'aria-describedby': 'intake-keys' },
    h('div', { class: 'row r-call' }, channel.el, received.el, language.el),
    reporterSet,
    h('div', { class: 'row r-place' }, province.el, commune.el, urgencySet),
    summary.el,
    h('div', { class: 'row r-two' }, phones.el, names.el),
    h('div', { class: 'row r-two' }, classification.el, purpose.el),
    h('div', { class: 'actions' }, submit, clear));

  // Server fields (problem.field) -> the form's fields.
  const fields = {
    received_at: received, channel, language, province, commune, summary,
    'reporter.name': rname, 'reporter.phone': rphone, reporter: rname,
    mentioned_phones: phones, mentioned_names: names, classification, purpose,
  };
  const allFields = [...new Set(Object.values(fields))];

  let key = newKey();
  let busy = false;
  let stale = false; // the session ended or changed: fetch it again before saving
  let lastPhone = '';
  let repeatSeq = 0;

  function setUrgency(u, say) {
    for (const x of radios) x.r.checked = x.u === u;
    if (say) setText(announce, 'intake.urgency_set', { u: t(`intake.urgency.${u}`) });
  }

  function applyAnonymous() {
    const anon = anonBox.checked;
    reporterFields.hidden = anon;
    rname.input.disabled = anon;
    rphone.input.disabled = anon;
    if (anon) {
      rname.error(null);
      rphone.error(null);
      repeat.replaceChildren();
      lastPhone = '';
    }
  }

  function count() {
    const n = chars(summaryArea.value);
    const over = n > SUMMARY_MAX;
    counter.classList.toggle('over', over);
    setText(counter, over ? 'intake.summary_over' : 'intake.summary_count', { n, max: SUMMARY_MAX });
  }

  function clearErrors() {
    for (const f of allFields) f.error(null);
    urgencyErr.hidden = true;
    alert.hide();
  }

  // Back to a blank intake, with a new idempotency key.
  function reset() {
    channelSel.value = 'HOTLINE_111';
    received.input.value = localNow();
    langSel.value = 'vi';
    anonBox.checked = false;
    rname.input.value = '';
    rphone.input.value = '';
    applyAnonymous();
    repeat.replaceChildren();
    lastPhone = '';
    place.set(unit.province_code ?? '', unit.level === 'commune' ? unit.admin_code ?? '' : '');
    summaryArea.value = '';
    count();
    phones.input.value = '';
    names.input.value = '';
    setUrgency('normal', false);
    classSel.value = '';
    purposeSel.value = '';
    clearErrors();
    key = newKey();
  }

  async function checkRepeat() {
    const phone = rphone.input.value.trim();
    if (anonBox.checked || phone === lastPhone) return;
    lastPhone = phone;
    const seq = ++repeatSeq;
    repeat.replaceChildren();
    if (rphone.input.getAttribute('aria-invalid')) rphone.error(null);
    if (!phone) return;
    try {
      const res = await get(withQuery('/api/intakes/repeat', { phone }), { redirect: false });
      if (!ctx.current() || seq !== repeatSeq) return;
      const intakes = res.intakes ?? [];
      const persons = res.persons ?? [];
      if (!intakes.length && !persons.length) return;
      const box = h('div', { class: 'repeat' });
      if (intakes.length) {
        box.append(h('p', { class: 'repeat-title', i18n: intakes.length === 1 ? 'intake.repeat_one' : 'intake.repeat',
          args: { n: intakes.length } }));
        box.append(h('ul', {}, intakes.map((i) => h('li', {},
          h('span', { i18n: 'intake.repeat_item', args: { id: String(i.id) } }), ' ', time(i.received_at)))));
      }
      if (persons.length)
        box.append(h('p', { i18n: persons.length === 1 ? 'intake.repeat_person_one' : 'intake.repeat_persons',
          args: { n: persons.length, ids: persons.map((p) => p.pseudonym ?? `#${p.id}`).join(', ') } }));
      repeat.replaceChildren(box);
    } catch (err) {
      if (!ctx.current() || seq !== repeatSeq) return;
      // A help, not a gate: only a malformed number is said (at the field).
      if (err.code === 'invalid') rphone.error('intake.error.reporter.phone');
    }
  }

  // The input, or a list of what is wrong: [[field, key, args], ...].
  function collect() {
    const bad = [];
    const receivedAt = toUtc(received.input.value);
    if (!receivedAt) bad.push([received, 'intake.error.received_at_required']);
    else if (Date.parse(receivedAt) > Date.now() + 60000) bad.push([received, 'intake.error.received_at']);
    const { province: prov, commune: comm } = place.value();
    if (!prov) bad.push([province, 'intake.error.province_required']);
    const text = summaryArea.value.trim().normalize('NFC');
    if (!text) bad.push([summary, 'intake.error.summary_required']);
    else if (chars(text) > SUMMARY_MAX) bad.push([summary, 'intake.error.summary_too_long', { max: SUMMARY_MAX }]);
    const phoneList = splitList(phones.input.value);
    if (phoneList.length > MENTIONS_MAX) bad.push([phones, 'intake.error.too_many', { max: MENTIONS_MAX }]);
    const nameList = splitList(names.input.value);
    if (nameList.length > MENTIONS_MAX) bad.push([names, 'intake.error.too_many', { max: MENTIONS_MAX }]);
    const anon = anonBox.checked;
    const body = {
      received_at: receivedAt,
      channel: channelSel.value,
      language: langSel.value,
      province: prov,
      commune: comm || null,
      summary: text,
      reporter: anon ? { anonymous: true } : {
        anonymous: false,
        name: rname.input.value.trim().normalize('NFC') || null,
        phone: rphone.input.value.trim() || null,
      },
      mentioned_phones: phoneList,
      mentioned_names: nameList,
      classification: classSel.value || null,
      purpose: purposeSel.value || null,
      urgency: radios.find((x) => x.r.checked)?.u ?? 'normal',
    };
    return { body, bad };
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearErrors();
    done.hidden = true;
    const { body, bad } = collect();
    if (bad.length) {
      for (const [f, k, args] of bad) f.error(k, args);
      bad[0][0].input.focus();
      return;
    }
    busy = true;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      if (stale) {
        ctx.signedIn(await get('/api/session', { redirect: false }));
        stale = false;
      }
      const { status, data } = await post('/api/intakes', body,
        { redirect: false, full: true, headers: { 'Idempotency-Key': key } });
      if (!ctx.current()) return;
      reset();
      done.replaceChildren(
        h('span', { i18n: status === 200 ? 'intake.saved_again' : 'intake.saved', args: { id: String(data.id) } }),
        ' ', h('a', { href: '#/intakes', i18n: 'intake.to_list' }));
      done.hidden = false;
      channelSel.focus();
    } catch (err) {
      if (!ctx.current()) return;
      if (err.status === 401 || err.code === 'csrf') {
        // The form is kept: sign in again in another tab, then save again.
        stale = true;
        alert.show('intake.error.session');
        submit.focus();
        return;
      }
      if (err.handled) return;
      const f = fields[err.field];
      if (err.field === 'urgency') {
        urgencyErr.hidden = false;
        setText(urgencyErr, 'intake.error.urgency');
        radios[0].r.focus();
      } else if (f && !f.input.disabled) {
        f.error(pick(`intake.error.${err.field}.${err.code}`, `intake.error.${err.field}`, errorKey(err, 'intake')));
        f.input.focus();
      } else {
        alert.show(pick(`intake.error.${err.field}`, errorKey(err, 'intake')));
        submit.focus();
      }
    } finally {
      busy = false;
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    } else if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-4]$/.test(e.code)) {
      e.preventDefault();
      setUrgency(URGENCIES[Number(e.code.slice(5)) - 1], true);
    } else if (e.key === 'Enter' && e.target.tagName === 'INPUT'
      && !['submit', 'button', 'reset'].includes(e.target.type)) {
      e.preventDefault(); // Enter alone does not send a half-typed intake
    }
  });
  // The date-time input has a Tab stop per part (day, month, year, hour,
  // minute): Tab leaves it as one field, the arrow keys move between its
  // parts (Left/Right) and change them (Up/Down), as in a composite widget.
  received.input.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || e.ctrlKey || e.altKey || e.metaKey) return;
    e.preventDefault();
    (e.shiftKey ? channelSel : langSel).focus();
  });
  anonBox.addEventListener('change', applyAnonymous);
  rphone.input.addEventListener('blur', checkRepeat);
  summaryArea.addEventListener('input', count);
  clear.addEventListener('click', () => {
    if (summaryArea.value.trim() && !window.confirm(t('intake.confirm_clear'))) return;
    reset();
    done.hidden = true;
    channelSel.focus();
  });

  // Typing on a long call sends no request: while the form is in use, keep
  // the session from ending for want of requests (GET /api/session).
  let typed = false;
  form.addEventListener('input', () => { typed = true; });
  const keepAlive = setInterval(() => {
    if (!ctx.current()) {
      clearInterval(keepAlive);
      return;
    }
    if (!typed) return;
    typed = false;
    get('/api/session', { redirect: false }).then((s) => ctx.signedIn(s), () => { stale = true; });
  }, 4 * 60 * 1000);

  reset();

  return h('div', { class: 'intake' },
    h('h1', { id: 'intake-h', i18n: 'intake.title' }),
    h('p', { id: 'intake-keys', class: 'kbd-hint' },
      h('span', { i18n: 'intake.keys' }), ' ',
      h('kbd', { text: 'Ctrl+Enter' }), ' ', h('span', { i18n: 'intake.keys.save' }), ' · ',
      h('kbd', { text: 'Alt+1' }), '…', h('kbd', { text: 'Alt+4' }), ' ', h('span', { i18n: 'intake.keys.urgency' }), ' · ',
      h('kbd', { text: '←' }), h('kbd', { text: '→' }), ' ', h('kbd', { text: '↑' }), h('kbd', { text: '↓' }), ' ',
      h('span', { i18n: 'intake.keys.time' }), ' · ',
      h('span', { i18n: 'intake.keys.enter' })),
    done,
    alert.el,
    announce,
    form);
}
