// person-detail.js: one person (GET /api/persons/{id}) and their casework:
// the identity and status with its dates (an overdue verification said in
// words), the next steps of the process (docs/api.md, "The process"), each
// with its form (identification: the evidence of Law 53/2024 Art. 32.1 and
// the confirming document; reject, close, reopen: a reason), trafficking
// events, support (the entitlements of Art. 37, the ledger, a form that
// says in Vietnamese why a support is refused and records it anyway with a
// reason), consents, protection measures, follow-up visits and the
// accompanying minors. Province users outside the owning unit give a
// reason to read the record. The forms show only when the server says the
// user may record casework on the person ("may_change"). Every write sends
// the person's version where the API asks for it; the page is loaded again
// after each; a stale version (409 conflict) offers to reload, a step the
// record's state refuses (409) is said in words (errors.js).
import { get, post, withQuery } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { has, t, dmy } from '../i18n.js';
import { errorKey, isStale, showConflict } from './errors.js';
import { actionForm as sharedActionForm } from './action-form.js';
import { identificationFields } from './identification.js';
import { PURPOSES } from './intake-codes.js';
import {
  REASON_STEPS, SUPPORTS, UNITS, LOCATIONS, CONSENT_SCOPES, GIVEN_BY, PROTECTION_KINDS,
  BENEFICIARIES, OUTCOMES, DISCOVERIES, MEANS, VERIFY_OPEN, today, vnd, lastReason, basis,
} from './person-codes.js';
import { birth, overdue, statusBadge } from './persons.js';
import { ethnicGroups, countries, byName, refOption, refLater, placeText } from '../ref.js';

const opt = (value, key) => h('option', { value, i18n: key });
const codeSelect = (codes, prefix, empty) => h('select', {},
  empty ? opt('', empty) : null, codes.map((c) => opt(c, `${prefix}.${c}`)));
// Notes and reasons: at most CTIP_NOTE_MAX (2,000) characters.
const textArea = (rows = 2) => h('textarea', { rows, maxlength: 2000 });
// A form to add something, behind its title (closed until asked for).
const collapsible = (key, form) => h('details', { class: 'add-form' },
  h('summary', { i18n: key }), form);
const lower = (s) => s.charAt(0).toLowerCase() + s.slice(1);
const clean = (f) => f.input.value.trim().normalize('NFC') || null;
const coded = (prefix, code) => (code && has(`${prefix}.${code}`)
  ? h('span', { i18n: `${prefix}.${code}` }) : h('span', { class: 'mono', text: code ?? '' }));
const purposeNames = (list) => (list ?? '').split(',').filter(Boolean)
  .map((c) => (has(`purpose.${c}`) ? t(`purpose.${c}`) : c)).join('; ');

function purposeSelect() {
  return h('select', { multiple: true, size: 7 },
    PURPOSES.map(([top, subs]) => (subs.length
      ? h('optgroup', { attrs: { label: `purpose.${top}` } },
        h('option', { value: top, i18n: `purpose.${top}` }),
        subs.map((s) => h('option', { value: s, i18n: `purpose.${s}` })))
      : h('option', { value: top, i18n: `purpose.${top}` }))));
}

// A small table: cols are text keys, rows arrays of cells (nodes or text).
function table(cls, caption, cols, rows, empty) {
  return h('div', { class: 'table-wrap' }, h('table', { class: `data ${cls}` },
    caption ? h('caption', { class: 'visually-hidden', i18n: caption }) : null,
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, rows.length ? rows.map((r) => (r.tagName === 'TR' ? r : h('tr', {}, r.map((c) => h('td', {}, c)))))
      : h('tr', {}, h('td', { colspan: cols.length, class: 'muted', i18n: empty })))));
}

export function render(ctx) {
  const id = ctx.args.id;
  ctx.setTitle('person.detail.title', { name: `#${id}` });
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true, tabindex: '-1' });
  const heading = h('h1', { i18n: 'person.detail.title', args: { name: `#${id}` } });
  const body = h('div', { class: 'person-body' });
  const reasonBox = h('div', { hidden: true });
  let person = null;
  let reason = ''; // the reason given to read this record (read-only then)
  let writable = false; // GET /api/persons/{id} "may_change"
  let location_ = 'in_vn'; // of the entitlement table
  let openStep = null; // the step whose form is open

  // ---- Facts ---------------------------------------------------------
  function fact(key, value, cls) {
    if (value === null || value === undefined || value === '' || value === false) return [];
    return [h('dt', { i18n: key }), h('dd', { class: cls }, value)];
  }

  function facts(p) {
    const idn = p.identity;
    const late = overdue(p);
    const place = p.province || p.commune ? placeText(p.province, p.commune) : null;
    return h('section', { class: 'card person-facts', 'aria-labelledby': 'facts-h' },
      h('h2', { id: 'facts-h', i18n: 'person.detail.facts' }),
      h('div', { class: 'facts-cols' },
        h('dl', { class: 'facts' },
          ...fact('person.field.full_name', idn?.full_name, 'strong'),
          ...fact('person.field.citizen_id', idn?.citizen_id, 'mono'),
          ...fact('person.field.phone', idn?.phone, 'mono'),
          ...fact('person.field.address', idn?.address),
          ...fact('person.field.contacts', idn?.contacts ? h('span', { class: 'pre', text: idn.contacts }) : null),
          ...(idn ? [] : fact('person.field.identity', h('span', { class: 'muted', i18n: 'person.detail.pseudonymised' }))),
          ...fact('person.field.role', h('span', { i18n: `person.role.${p.role}` })),
          ...fact('person.field.sex', h('span', { i18n: `person.sex.${p.sex}` })),
          ...fact('person.field.birth', birth(p)),
          ...fact('person.field.ethnicity', p.ethnicity ? refLater(ethnicGroups, p.ethnicity) : null),
          ...fact('person.field.nationality', p.nationality
            ? refLater(countries, p.nationality, (n, x) => `${x.code} – ${n}`) : null),
          ...fact('person.field.citizenship', h('span', { i18n: `person.citizenship.${p.citizenship}` })),
          ...fact('person.field.place', place)),
        h('dl', { class: 'facts dates' },
          ...fact('person.field.status', statusBadge(p.status)),
          ...fact('person.field.received_on', dmy(p.received_on)),
          ...fact('person.field.verify_due', p.verify_due && VERIFY_OPEN.includes(p.status)
            ? h('span', { class: `deadline${late ? ' overdue' : ''}` }, dmy(p.verify_due),
              late ? [' ', h('span', { class: 'badge due-overdue', i18n: 'person.overdue' })]
                : [' ', h('span', { class: 'muted', i18n: 'person.detail.verify_rule' })])
            : null),
          ...fact('person.field.identified_on', p.identified_on ? dmy(p.identified_on) : null),
          ...fact('person.field.accompanies', p.accompanies_id
            ? h('a', { href: `#/persons/${p.accompanies_id}`, i18n: 'person.detail.person_n',
              args: { id: String(p.accompanies_id) } }) : null),
          ...fact('person.detail.intakes', p.intake_ids?.length ? h('ul', { class: 'plain' },
            p.intake_ids.map((i) => h('li', {}, h('a', { href: `#/intakes/${i}`, i18n: 'detail.title',
              args: { id: String(i) } })))) : null),
          ...fact('person.detail.pseudonym', h('span', { class: 'mono pseudonym', text: p.pseudonym })))));
  }

  // ---- Forms ---------------------------------------------------------
  // A form (see action-form.js): fields { name: field() }, body() -> the
  // request (or null after a client-side error), send(body) -> a promise, ok:
  // the success text; onError(err, formAlert) -> true when it handled err itself.
  function actionForm({ key, title, fields, extra = [], body, send, ok, submitKey, onError, cls = '' }) {
    return sharedActionForm({ className: `card action pform-${key} ${cls}`, headingId: `pf-${key}-h`, heading: 'h3',
      title: title ?? `person.${key}.title`, submitKey: submitKey ?? `person.${key}.submit`,
      fields, extra, body, send, ok, ctx, load, reset: () => { done.hidden = true; },
      explain: async (err, b, formAlert) => {
        if (onError && await onError(err, formAlert)) return;
        const f = fields[err.field];
        if (isStale(err)) conflict(formAlert);
        else if (showConflict(err, { alert: formAlert, fields, other: 'person.error.transition_refused' })) return;
        else if (f) {
          f.error(has(`person.error.${err.field}`) && err.code === 'invalid' ? `person.error.${err.field}`
            : errorKey(err, 'person'));
          f.input.focus();
        } else formAlert.show(err.field && has(`person.error.${err.field}`) && err.code === 'invalid'
          ? `person.error.${err.field}` : errorKey(err, 'person'));
      } });
  }

  // A stale version: someone else changed the record meanwhile. Said, with
  // a button that loads it again (what was typed stays until then).
  function conflict(formAlert) {
    formAlert.show('person.error.conflict');
    const again = h('button', { type: 'button', class: 'small reload', i18n: 'person.reload' });
    again.addEventListener('click', () => load('person.reloaded'));
    formAlert.el.append(' ', again);
    again.focus();
  }

  // The column of actions, only for those who may act.
  const actions = (x) => (writable ? [x] : []);

  const need = (f, key) => {
    if (clean(f)) return false;
    f.error(key);
    f.input.focus();
    return true;
  };
  const url = (what) => `/api/persons/${id}/${what}`;

  // ---- The process ----------------------------------------------------
  function stepForm(step) {
    const on = field({ name: 'on', label: 'person.step.on', type: 'date', required: true });
    on.input.value = today();
    const needsReason = REASON_STEPS.includes(step);
    const reasonF = field({ name: 'reason', label: needsReason ? 'person.step.reason' : 'person.step.note',
      required: needsReason, control: textArea() });
    const fields = { on, reason: reasonF };
    const extra = [];
    const ident = step === 'identify' ? identificationFields() : null;
    if (ident) {
      Object.assign(fields, ident.fields);
      extra.push(...ident.els);
    }
    const form = actionForm({
      key: `step-${step}`, title: `person.step.form.${step}`, submitKey: `person.step.do.${step}`,
      fields: { on, reason: reasonF }, extra, cls: 'step-form',
      body: () => {
        for (const f of Object.values(fields)) f.error(null);
        if (!on.input.value) {
          on.error('person.error.on');
          on.input.focus();
          return null;
        }
        if (needsReason && need(reasonF, 'person.error.reason')) return null;
        const b = { step, on: on.input.value, reason: clean(reasonF), version: person.version };
        if (ident) {
          const id = ident.read();
          if (!id) return null;
          Object.assign(b, id);
        }
        return b;
      },
      send: (b) => post(url('steps'), b),
      ok: `person.step.done.${step}`,
      onError: (err, formAlert) => {
        const f = fields[err.field];
        if (err.code === 'invalid' && f && !['on', 'reason'].includes(err.field)) {
          f.error(has(`person.error.${err.field}`) ? `person.error.${err.field}` : 'error.invalid');
          return true;
        }
        return false;
      },
    });
    return form;
  }

  function process(p) {
    const steps = p.next_steps ?? [];
    const panel = h('div', { class: 'step-panel' });
    const buttons = steps.map((s) => {
      const b = h('button', { type: 'button', class: `step-btn${['reject', 'close'].includes(s) ? ' danger' : ''}`,
        'aria-expanded': 'false', 'data-step': s, i18n: `person.step.${s}` });
      b.addEventListener('click', () => {
        done.hidden = true;
        const opening = openStep !== s;
        openStep = opening ? s : null;
        for (const x of buttons) x.setAttribute('aria-expanded', String(x.dataset.step === openStep));
        panel.replaceChildren(opening ? stepForm(s) : '');
        if (opening) panel.querySelector('input, select, textarea')?.focus();
      });
      return b;
    });
    if (openStep && steps.includes(openStep)) {
      buttons[steps.indexOf(openStep)].setAttribute('aria-expanded', 'true');
      panel.append(stepForm(openStep));
    } else openStep = null;
    const history = table('steps', 'person.steps.caption',
      ['person.steps.on', 'person.steps.step', 'person.steps.change', 'person.steps.reason'],
      (p.steps ?? []).map((s) => [
        h('span', { class: 'nowrap', text: dmy(s.on) }),
        coded('person.step.name', s.step),
        h('span', {}, s.from ? coded('person.status', s.from) : '', s.from ? ' → ' : '', coded('person.status', s.to)),
        h('span', {}, s.reason ? h('span', { class: 'pre', text: s.reason }) : '',
          s.identification ? identification(s.identification) : ''),
      ]), 'person.steps.empty');
    return h('section', { class: 'card process', 'aria-labelledby': 'process-h' },
      h('h2', { id: 'process-h', i18n: 'person.process.title' }),
      writable ? h('div', { class: 'next-steps' },
        h('p', { class: 'next-label', i18n: steps.length ? 'person.process.next' : 'person.process.none' }),
        h('div', { class: 'step-buttons', role: 'group', attrs: { 'aria-label': 'person.process.next' } }, buttons),
        panel) : null,
      h('h3', { i18n: 'person.steps.title' }),
      history);
  }

  function identification(idn) {
    const doc = idn.document ?? {};
    return h('div', { class: 'identification' },
      h('div', {}, h('span', { i18n: 'person.identify.evidence_short' }), ': ',
        (idn.evidence ?? '').split(',').filter(Boolean).map((c) => (c === 'dd' ? 'đ' : c)).join(', ')),
      h('div', {}, h('span', { i18n: 'person.identify.document' }), ': ', coded('person.doc', doc.type),
        doc.number ? [' ', h('span', { i18n: 'person.identify.doc_no', args: { n: doc.number } })] : '', doc.issuer ? ` — ${doc.issuer}` : '', doc.date ? `, ${dmy(doc.date)}` : ''));
  }

  // ---- Trafficking events ----------------------------------------------
  function events(p) {
    const rows = (p.events ?? []).map((e) => [
      h('span', { class: 'nowrap', text: dmy(e.discovered_on) }),
      coded('person.discovery', e.discovery),
      purposeNames(e.purposes),
      e.abroad ? h('span', {}, h('span', { i18n: 'person.event.abroad_short' }),
        e.destination ? [': ', refLater(countries, e.destination)] : '') : h('span', { i18n: 'person.event.domestic' }),
      h('span', {}, e.recruitment_means ? coded('person.means', e.recruitment_means) : '',
        e.recruited_on ? ` (${dmy(e.recruited_on)})` : ''),
    ]);
    return h('section', { class: 'card events', 'aria-labelledby': 'events-h' },
      h('h2', { id: 'events-h', i18n: 'person.event.title' }),
      table('events', 'person.event.title', ['person.event.discovered_on', 'person.event.discovery',
        'person.event.purposes', 'person.event.where', 'person.event.means'], rows, 'person.event.empty'),
      writable ? collapsible('person.event.add', eventForm()) : null);
  }

  function eventForm() {
    const purposes = field({ name: 'purposes', label: 'person.event.purposes', hint: 'person.event.purposes_hint',
      required: true, control: purposeSelect() });
    const abroadBox = h('input', { type: 'checkbox', id: 'ev-abroad', name: 'abroad' });
    const countryList = h('datalist', { id: 'ev-countries' });
    countries().then((items) => countryList.append(...byName(items.filter((c) => c.code !== 'VN'))
      .map((c) => refOption(c))), () => {});
    const dest = field({ name: 'destination', label: 'person.event.destination', hint: 'person.field.country_hint',
      attrs: { maxlength: 2, list: 'ev-countries', autocomplete: 'off', class: 'code short' } });
    const discovery = field({ name: 'discovery', label: 'person.event.discovery', required: true,
      control: codeSelect(DISCOVERIES, 'person.discovery') });
    const discovered = field({ name: 'discovered_on', label: 'person.event.discovered_on', type: 'date', required: true });
    const means = field({ name: 'recruitment_means', label: 'person.event.means',
      control: codeSelect(MEANS, 'person.means', 'person.unknown') });
    const recruited = field({ name: 'recruited_on', label: 'person.event.recruited_on', type: 'date' });
    const fields = { purposes, destination: dest, destination_country: dest, discovery, discovered_on: discovered,
      recruitment_means: means, recruited_on: recruited };
    return actionForm({ key: 'event', title: 'person.event.add', fields, cls: 'wide',
      extra: [h('div', { class: 'check' }, abroadBox, h('label', { for: 'ev-abroad', i18n: 'person.event.abroad' })),
        countryList],
      body: () => {
        const list = [...purposes.input.selectedOptions].map((o) => o.value);
        if (!list.length) {
          purposes.error('person.error.purposes');
          purposes.input.focus();
          return null;
        }
        if (!discovered.input.value) {
          discovered.error('person.error.discovered_on');
          discovered.input.focus();
          return null;
        }
        const d = dest.input.value.trim().toUpperCase();
        if (abroadBox.checked && !d) {
          dest.error('person.error.destination');
          dest.input.focus();
          return null;
        }
        return { purposes: list, abroad: abroadBox.checked, destination: d || null,
          discovery: discovery.input.value, discovered_on: discovered.input.value,
          recruitment_means: means.input.value || null, recruited_on: recruited.input.value || null };
      },
      send: (b) => post(url('events'), b), ok: 'person.event.done' });
  }

  // ---- Support ------------------------------------------------------------
  // The Vietnamese words for why e (an entitlement) is refused, by its
  // refusal_code.
  function refusal(e) {
    switch (e.refusal_code) {
    case 'closed':
    case 'not_victim':
      return ['person.refusal.closed', { status: t(`person.status.${e.refusal_code}`) }];
    case 'adult_not_entitled':
      return ['person.refusal.adult', { basis: basis(e.legal_basis) }];
    case 'not_in_matrix':
      return ['person.refusal.matrix', { role: lower(t(`person.role.${person.role}`)),
        citizenship: lower(t(`person.citizenship.${person.citizenship}`)), basis: basis(e.legal_basis) }];
    default:
      return ['person.refusal.other', { basis: basis(e.legal_basis) }];
    }
  }

  function limitsText(e) {
    return (e.limits ?? []).map((l) => h('div', { class: 'nowrap' },
      h('span', { i18n: l.max_units ? 'person.support.used_of' : 'person.support.used',
        args: { used: l.used, max: l.max_units ?? 0, unit: t(`person.unit.${l.unit}`) } }),
      l.amount_vnd != null ? ` · ${vnd(l.amount_vnd)}/${t(`person.unit.${l.unit}`)}` : ''));
  }

  // In the order they come: that of Art. 37.1.
  function entitlementRows(items) {
    return items.map((e) => {
      const [key, args] = e.entitled ? [null, null] : refusal(e);
      return h('tr', { class: e.entitled ? null : 'refused', 'data-support': e.support },
        h('th', { scope: 'row' }, coded('person.support', e.support)),
        h('td', {}, h('span', { class: `badge ${e.entitled ? 'on' : 'off'}`,
          i18n: e.entitled ? 'person.support.entitled' : 'person.support.refused' })),
        h('td', { class: 'refusal' }, key ? h('span', { i18n: key, args }) : h('span', { class: 'muted', text: basis(e.legal_basis) })),
        h('td', { class: 'nowrap' }, h('span', { i18n: `person.support.regime_${e.regime}` })),
        h('td', {}, limitsText(e)));
    });
  }

  function support(p) {
    const ent = h('tbody', {}, h('tr', {}, h('td', { colspan: 5, i18n: 'loading' })));
    const locSel = codeSelect(LOCATIONS, 'person.location');
    locSel.value = location_;
    const loc = field({ name: 'location', label: 'person.support.location', control: locSel });
    const entErr = h('p', { class: 'field-error', role: 'alert', hidden: true });
    async function loadEnt() {
      ent.parentElement?.setAttribute('aria-busy', 'true');
      try {
        const r = await get(withQuery(url('entitlements'), { location: location_, reason }));
        if (!ctx.current()) return;
        ent.replaceChildren(...entitlementRows(r.items ?? []));
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        ent.replaceChildren();
        entErr.hidden = false;
        setText(entErr, errorKey(err, 'person'));
      } finally {
        ent.parentElement?.removeAttribute('aria-busy');
      }
    }
    locSel.addEventListener('change', () => {
      location_ = locSel.value;
      loadEnt();
    });
    loadEnt();
    const ledger = (p.services ?? []).map((s) => h('tr', { class: s.override ? 'override' : null },
      h('td', { class: 'nowrap', text: dmy(s.provided_on) }),
      h('td', {}, coded('person.support', s.support),
        s.location === 'abroad' ? [' ', h('span', { class: 'muted', i18n: 'person.location.abroad' })] : ''),
      h('td', { text: s.provider ?? '' }),
      h('td', { class: 'nowrap' }, `${s.quantity} `, h('span', { i18n: `person.unit.${s.unit}` })),
      h('td', { class: 'num nowrap', text: vnd(s.amount_vnd) }),
      h('td', {}, s.override ? h('span', { class: 'badge wait', i18n: 'person.support.override' }) : '',
        s.override_reason ? [' ', h('span', { class: 'pre', text: s.override_reason })] : '',
        s.note ? h('div', { class: 'muted pre', vi: s.note }) : '')));
    const cols = ['person.ledger.on', 'person.ledger.support', 'person.ledger.provider', 'person.ledger.quantity',
      'person.ledger.amount', 'person.ledger.note'];
    return h('section', { class: 'card support', 'aria-labelledby': 'support-h' },
      h('h2', { id: 'support-h', i18n: 'person.support.title' }),
      h('h3', { i18n: 'person.support.entitlements' }),
      h('div', { class: 'filters' }, loc.el),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data entitlements' },
        h('caption', { class: 'visually-hidden', i18n: 'person.support.entitlements' }),
        h('thead', {}, h('tr', {}, ['person.support.col.support', 'person.support.col.entitled',
          'person.support.col.reason', 'person.support.col.regime', 'person.support.col.limits']
          .map((k) => h('th', { scope: 'col', i18n: k })))), ent)),
      entErr,
      h('h3', { i18n: 'person.ledger.title' }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data ledger' },
        h('caption', { class: 'visually-hidden', i18n: 'person.ledger.title' }),
        h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, ledger.length ? ledger : h('tr', {}, h('td', { colspan: cols.length, class: 'muted',
          i18n: 'person.ledger.empty' }))),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 4, i18n: 'person.ledger.total' }),
          h('td', { class: 'num nowrap total', text: vnd(p.services_total_vnd) }), h('td'))))),
      writable ? serviceForm() : null);
  }

  function serviceForm() {
    const sup = field({ name: 'support', label: 'person.ledger.support', required: true,
      control: codeSelect(SUPPORTS, 'person.support', 'person.choose') });
    const provider = field({ name: 'provider', label: 'person.ledger.provider', hint: 'person.service.provider_hint',
      attrs: { maxlength: 200, autocomplete: 'off' } });
    const on = field({ name: 'provided_on', label: 'person.ledger.on', type: 'date', required: true });
    on.input.value = today();
    const loc = field({ name: 'location', label: 'person.support.location', control: codeSelect(LOCATIONS, 'person.location') });
    const unit = field({ name: 'unit', label: 'person.service.unit', required: true,
      control: codeSelect(UNITS, 'person.unit') });
    const qty = field({ name: 'quantity', label: 'person.service.quantity', type: 'number', required: true,
      attrs: { min: 1, max: 100000, inputmode: 'numeric', class: 'short' } });
    qty.input.value = '1';
    const amount = field({ name: 'amount_vnd', label: 'person.service.amount', type: 'number',
      attrs: { min: 0, step: 1000, inputmode: 'numeric' } });
    const note = field({ name: 'note', label: 'person.service.note', control: textArea() });
    const override = field({ name: 'override_reason', label: 'person.service.override_reason',
      hint: 'person.service.override_hint', control: textArea() });
    const refusedBox = h('div', { class: 'refused-box', role: 'alert' });
    const overrideWrap = h('div', { class: 'override-wrap', hidden: true }, refusedBox, override.el);
    const fields = { support: sup, provider, provided_on: on, location: loc, unit, quantity: qty, amount_vnd: amount,
      note };
    // The units a support is counted in (under its regime), first its own.
    let ents = null;
    async function entitlements(location) {
      const r = await get(withQuery(url('entitlements'), { location, reason }));
      return r.items ?? [];
    }
    sup.input.addEventListener('change', () => {
      const e = ents?.find((x) => x.support === sup.input.value);
      const own = e?.limits?.map((l) => l.unit) ?? [];
      if (own.length) unit.input.value = own[0];
      overrideWrap.hidden = true;
      override.input.value = '';
      form.formAlert.hide();
      setText(form.submitButton, 'person.service.submit');
    });
    entitlements(loc.input.value).then((x) => { ents = x; }, () => {});
    const form = actionForm({ key: 'service', fields, extra: [overrideWrap], cls: 'wide',
      body: () => {
        if (!sup.input.value) {
          sup.error('person.error.support');
          sup.input.focus();
          return null;
        }
        const q = Number(qty.input.value);
        if (!Number.isInteger(q) || q < 1) {
          qty.error('person.error.quantity');
          qty.input.focus();
          return null;
        }
        const a = amount.input.value.trim();
        if (!overrideWrap.hidden && need(override, 'person.error.override_reason')) return null;
        return { support: sup.input.value, provider: clean(provider), provided_on: on.input.value || null,
          location: loc.input.value, unit: unit.input.value, quantity: q, amount_vnd: a ? Number(a) : 0,
          note: clean(note), override_reason: overrideWrap.hidden ? null : clean(override) };
      },
      send: (b) => post(url('services'), b),
      ok: 'person.service.done',
      onError: async (err) => {
        if (err.code === 'invalid' && err.field === 'override_reason') {
          override.error('person.error.override_reason');
          return true;
        }
        if (err.code !== 'not_entitled') return false;
        // Why, in Vietnamese, from the entitlement of that support there.
        let why = ['error.not_entitled', {}];
        try {
          const list = await entitlements(loc.input.value);
          const e = list.find((x) => x.support === sup.input.value);
          if (e && !e.entitled) why = refusal(e);
          else if (e) {
            const l = e.limits.find((x) => x.unit === unit.input.value);
            if (l?.max_units && l.used + Number(qty.input.value) > l.max_units)
              why = ['person.refusal.limit', { used: l.used, max: l.max_units, unit: t(`person.unit.${l.unit}`),
                basis: basis(l.legal_basis) }];
            else if (l && l.amount_vnd != null)
              why = ['person.refusal.rate', { rate: vnd(l.amount_vnd), unit: t(`person.unit.${l.unit}`),
                basis: basis(l.legal_basis) }];
          }
        } catch {
          /* the general text, then */
        }
        if (!ctx.current()) return true;
        refusedBox.replaceChildren(
          h('p', { class: 'refused-title', i18n: 'person.service.refused', args: { support: t(`person.support.${sup.input.value}`) } }),
          h('p', { i18n: why[0], args: why[1] }),
          h('p', { class: 'hint', i18n: 'person.service.refused_hint' }));
        overrideWrap.hidden = false;
        setText(form.submitButton, 'person.service.submit_override');
        override.input.focus();
        return true;
      },
    });
    return form;
  }

  // ---- Consents -------------------------------------------------------------
  function withdrawCell(c) {
    if (c.withdrawn_on || !writable) return '';
    const on = field({ name: 'on', label: 'person.consent.withdraw_on', type: 'date' });
    on.input.value = today();
    const why = field({ name: 'reason', label: 'person.consent.withdraw_reason', attrs: { maxlength: 500 } });
    const f = actionForm({ key: `withdraw-${c.id}`, title: 'person.consent.withdraw_title', fields: { on, reason: why },
      submitKey: 'person.consent.withdraw_submit', cls: 'inline-form',
      body: () => ({ on: on.input.value || null, reason: clean(why), version: c.version }),
      send: (b) => post(url(`consents/${c.id}/withdraw`), b), ok: 'person.consent.withdrawn' });
    f.hidden = true;
    const open = h('button', { type: 'button', class: 'small', i18n: 'person.consent.withdraw',
      'aria-expanded': 'false' });
    open.addEventListener('click', () => {
      f.hidden = !f.hidden;
      open.setAttribute('aria-expanded', String(!f.hidden));
      if (!f.hidden) on.input.focus();
    });
    return h('div', {}, open, f);
  }

  function consents(p) {
    const rows = (p.consents ?? []).map((c) => [
      coded('person.consent.scope', c.scope),
      h('span', {}, coded('person.consent.by', c.given_by), c.representative ? `: ${c.representative}` : ''),
      h('span', { class: 'nowrap', text: dmy(c.given_on) }),
      c.withdrawn_on ? h('span', {}, h('span', { class: 'badge off', i18n: 'person.consent.withdrawn_on',
        args: { on: dmy(c.withdrawn_on) } }),
      c.withdrawal_reason ? h('div', { class: 'withdrawal-reason' },
        h('span', { i18n: 'person.consent.withdraw_reason' }), ': ',
        h('span', { class: 'pre', text: c.withdrawal_reason })) : '')
        : h('span', { class: 'badge on', i18n: 'person.consent.valid' }),
      ...actions(withdrawCell(c)),
    ]);
    return h('section', { class: 'card consents', 'aria-labelledby': 'consents-h' },
      h('h2', { id: 'consents-h', i18n: 'person.consent.title' }),
      table('consents', 'person.consent.title', ['person.consent.scope', 'person.consent.given_by',
        'person.consent.given_on', 'person.consent.state', ...actions('person.col.actions')], rows, 'person.consent.empty'),
      writable ? collapsible('person.consent.add', consentForm(p)) : null);
  }

  function consentForm(p) {
    const scope = field({ name: 'scope', label: 'person.consent.scope', required: true,
      control: codeSelect(CONSENT_SCOPES, 'person.consent.scope') });
    const by = field({ name: 'given_by', label: 'person.consent.given_by', required: true,
      control: codeSelect(GIVEN_BY, 'person.consent.by') });
    const rep = field({ name: 'representative', label: 'person.consent.representative',
      hint: 'person.consent.representative_hint', attrs: { maxlength: 200, autocomplete: 'off' } });
    const on = field({ name: 'given_on', label: 'person.consent.given_on', type: 'date', required: true });
    on.input.value = today();
    if (p.role === 'accompanying_minor') by.input.value = 'representative';
    const sync = () => { rep.el.hidden = by.input.value !== 'representative'; };
    by.input.addEventListener('change', sync);
    sync();
    return actionForm({ key: 'consent', title: 'person.consent.add', fields: { scope, given_by: by, representative: rep, given_on: on },
      body: () => {
        if (by.input.value === 'representative' && need(rep, 'person.error.representative')) return null;
        return { scope: scope.input.value, given_by: by.input.value,
          representative: by.input.value === 'representative' ? clean(rep) : null, given_on: on.input.value || null };
      },
      send: (b) => post(url('consents'), b), ok: 'person.consent.done' });
  }

  // ---- Protection -------------------------------------------------------------
  function endCell(m) {
    if (m.end_on || !writable) return '';
    const on = field({ name: 'on', label: 'person.protection.end_on', type: 'date' });
    on.input.value = today();
    const f = actionForm({ key: `end-${m.id}`, title: 'person.protection.end_title', fields: { on },
      submitKey: 'person.protection.end_submit', cls: 'inline-form',
      body: () => ({ on: on.input.value || null, version: m.version }),
      send: (b) => post(url(`protection/${m.id}/end`), b), ok: 'person.protection.ended' });
    f.hidden = true;
    const open = h('button', { type: 'button', class: 'small', i18n: 'person.protection.end', 'aria-expanded': 'false' });
    open.addEventListener('click', () => {
      f.hidden = !f.hidden;
      open.setAttribute('aria-expanded', String(!f.hidden));
      if (!f.hidden) on.input.focus();
    });
    return h('div', {}, open, f);
  }

  function protection(p) {
    const rows = (p.protection ?? []).map((m) => [
      h('span', {}, coded('person.protection.kind', m.kind), m.note ? h('div', { class: 'muted pre', vi: m.note }) : ''),
      coded('person.protection.for', m.beneficiary),
      h('span', { class: 'nowrap', text: dmy(m.start_on) }),
      h('span', { class: 'nowrap', text: m.end_on ? dmy(m.end_on) : '' },
        m.end_on ? '' : h('span', { class: 'badge on', i18n: 'person.protection.ongoing' })),
      ...actions(endCell(m)),
    ]);
    return h('section', { class: 'card protection', 'aria-labelledby': 'protection-h' },
      h('h2', { id: 'protection-h', i18n: 'person.protection.title' }),
      table('protection', 'person.protection.title', ['person.protection.kind', 'person.protection.beneficiary',
        'person.protection.start_on', 'person.protection.end_on', ...actions('person.col.actions')], rows, 'person.protection.empty'),
      writable ? collapsible('person.protection.add', protectionForm()) : null);
  }

  function protectionForm() {
    const kind = field({ name: 'kind', label: 'person.protection.kind', required: true,
      control: codeSelect(PROTECTION_KINDS, 'person.protection.kind') });
    const ben = field({ name: 'beneficiary', label: 'person.protection.beneficiary', required: true,
      control: codeSelect(BENEFICIARIES, 'person.protection.for') });
    const start = field({ name: 'start_on', label: 'person.protection.start_on', type: 'date', required: true });
    start.input.value = today();
    const end = field({ name: 'end_on', label: 'person.protection.end_on', type: 'date' });
    const note = field({ name: 'note', label: 'person.protection.note', control: textArea() });
    return actionForm({ key: 'protection', title: 'person.protection.add', fields: { kind, beneficiary: ben, start_on: start, end_on: end, note },
      body: () => ({ kind: kind.input.value, beneficiary: ben.input.value, start_on: start.input.value || null,
        end_on: end.input.value || null, note: clean(note) }),
      send: (b) => post(url('protection'), b), ok: 'person.protection.done' });
  }

  // ---- Follow-up visits -------------------------------------------------------
  function visitCell(f) {
    if (f.done_on || !writable) return '';
    const on = field({ name: 'done_on', label: 'person.visit.done_on', type: 'date', required: true });
    on.input.value = today();
    const outcome = field({ name: 'outcome', label: 'person.visit.outcome', required: true,
      control: codeSelect(OUTCOMES, 'person.visit.outcome') });
    const note = field({ name: 'note', label: 'person.visit.note', control: textArea() });
    const form = actionForm({ key: `visit-${f.id}`, title: 'person.visit.record_title',
      fields: { done_on: on, outcome, note }, submitKey: 'person.visit.record_submit', cls: 'inline-form',
      body: () => ({ done_on: on.input.value || null, outcome: outcome.input.value, note: clean(note), version: f.version }),
      send: (b) => post(url(`follow-ups/${f.id}/visit`), b), ok: 'person.visit.recorded' });
    form.hidden = true;
    const open = h('button', { type: 'button', class: 'small', i18n: 'person.visit.record', 'aria-expanded': 'false' });
    open.addEventListener('click', () => {
      form.hidden = !form.hidden;
      open.setAttribute('aria-expanded', String(!form.hidden));
      if (!form.hidden) on.input.focus();
    });
    return h('div', {}, open, form);
  }

  function visits(p) {
    const now = today();
    const rows = (p.follow_ups ?? []).map((f) => {
      const late = !f.done_on && f.due_on < now;
      return h('tr', { class: late ? 'overdue' : null },
        h('td', { class: `nowrap deadline${late ? ' overdue' : ''}` }, dmy(f.due_on),
          late ? [' ', h('span', { class: 'badge due-overdue', i18n: 'person.overdue' })] : ''),
        h('td', { class: 'nowrap', text: f.done_on ? dmy(f.done_on) : '' }),
        h('td', {}, f.outcome ? coded('person.visit.outcome', f.outcome) : ''),
        h('td', {}, f.note ? h('span', { class: 'pre', vi: f.note }) : ''),
        ...actions(h('td', {}, visitCell(f))));
    });
    return h('section', { class: 'card visits-person', 'aria-labelledby': 'visits-p-h' },
      h('h2', { id: 'visits-p-h', i18n: 'person.visit.title' }),
      h('p', { class: 'hint', i18n: 'person.visit.hint' }),
      table('follow-ups', 'person.visit.title', ['person.visit.due_on', 'person.visit.done_on', 'person.visit.outcome',
        'person.visit.note', ...actions('person.col.actions')], rows, 'person.visit.empty'),
      writable ? collapsible('person.visit.schedule_title', visitForm()) : null);
  }

  function visitForm() {
    const due = field({ name: 'due_on', label: 'person.visit.due_on', type: 'date', required: true });
    const note = field({ name: 'note', label: 'person.visit.note', control: textArea() });
    return actionForm({ key: 'follow-up', title: 'person.visit.schedule_title', fields: { due_on: due, note },
      submitKey: 'person.visit.schedule_submit',
      body: () => {
        if (!due.input.value) {
          due.error('person.error.due_on');
          due.input.focus();
          return null;
        }
        return { due_on: due.input.value, note: clean(note) };
      },
      send: (b) => post(url('follow-ups'), b), ok: 'person.visit.scheduled' });
  }

  // ---- Minors -------------------------------------------------------------------
  function minors(p) {
    if (p.role === 'accompanying_minor') return null;
    const ids = p.minor_ids ?? [];
    return h('section', { class: 'card minors', 'aria-labelledby': 'minors-h' },
      h('h2', { id: 'minors-h', i18n: 'person.minors.title' }),
      ids.length ? h('ul', { class: 'plain minor-list' }, ids.map((m) => h('li', {},
        h('a', { href: `#/persons/${m}`, i18n: 'person.detail.person_n', args: { id: String(m) } }))))
        : h('p', { class: 'muted', i18n: 'person.minors.none' }),
      writable && !['closed', 'not_victim'].includes(p.status)
        ? h('p', {}, h('a', { href: `#/persons/new?accompanies=${p.id}`, class: 'button-link',
          i18n: 'person.new.add_minor' })) : null);
  }

  // ---- Loading ----------------------------------------------------------------
  function show(p) {
    person = p;
    writable = p.may_change === true;
    const name = p.identity?.full_name ? `${p.identity.full_name} (${p.pseudonym})` : p.pseudonym;
    setText(heading, 'person.detail.title', { name });
    ctx.setTitle('person.detail.title', { name: p.pseudonym });
    body.replaceChildren(...[
      h('div', { class: 'person-status-line' }, statusBadge(p.status), ' ',
        h('span', { i18n: `person.role.${p.role}` }), p.demo ? [' ', h('span', { class: 'badge wait', i18n: 'person.demo' })] : '',
        ' · ', h('a', { href: `#/persons/${id}/timeline`, i18n: 'person.timeline.link' })),
      writable ? null : h('p', { class: 'notice read-only',
        i18n: reason ? 'person.detail.read_only' : 'person.detail.read_only_other' }),
      facts(p),
      process(p),
      minors(p),
      support(p),
      events(p),
      consents(p),
      protection(p),
      visits(p)].filter(Boolean));
  }

  function askReason() {
    const r = field({ name: 'reason', label: 'person.reason.label', hint: 'person.reason.hint', required: true,
      attrs: { maxlength: 200, autocomplete: 'off' } });
    r.input.value = lastReason();
    const form = h('form', { class: 'card narrow reason-form', novalidate: true },
      h('p', { i18n: 'error.reason_required' }), r.el,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', i18n: 'person.reason.submit' })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (need(r, 'person.error.reason')) return;
      reason = clean(r);
      lastReason(reason);
      reasonBox.hidden = true;
      load();
    });
    reasonBox.replaceChildren(form);
    reasonBox.hidden = false;
    r.input.focus();
  }

  async function load(message) {
    alert.hide();
    try {
      const p = await get(withQuery(`/api/persons/${id}`, { reason }));
      if (!ctx.current()) return;
      const y = window.scrollY;
      show(p);
      if (message) {
        setText(done, message, { pseudonym: p.pseudonym });
        done.hidden = false;
        window.scrollTo(0, y);
        done.focus({ preventScroll: true });
      } else done.hidden = true;
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      if (err.code === 'reason_required') {
        body.replaceChildren();
        askReason();
        return;
      }
      body.replaceChildren();
      if (err.code === 'not_found') {
        setText(heading, 'notfound.title');
        ctx.setTitle('notfound.title');
        body.append(h('p', { i18n: 'person.detail.not_found' }),
          h('p', {}, h('a', { href: '#/persons', i18n: 'person.back' })));
        return;
      }
      alert.show(errorKey(err, 'person'));
    }
  }
  body.append(h('p', { i18n: 'loading' }));
  load();

  return h('div', { class: 'person-detail' },
    h('div', { class: 'title-row' }, heading, h('a', { href: '#/persons', class: 'button-link', i18n: 'person.back' })),
    h('div', { class: 'sticky-msg' }, done, alert.el),
    reasonBox,
    body);
}
