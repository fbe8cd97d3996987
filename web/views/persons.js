// persons.js: finding persons (GET /api/persons): by name with or without
// diacritics, citizen ID or phone, and by commune, status, role, purpose,
// destination or an overdue verification; a province user gives a reason
// to see identities outside their own unit (docs/api.md, Scope). For case
// workers and investigators, the follow-up visits of the unit due within
// two weeks (GET /api/follow-ups), overdue first. The filters are kept in
// the address (#/persons?status=...), so a reload or going back shows them
// again; the identity terms (name, citizen ID, phone) are not: the address
// stays in the browser's history, on a shared office computer too. They
// are kept in memory for the signed-in user instead, so that going back
// from a person shows the search again.
// The commune is picked from the communes of a province (place-picker.js);
// the province only narrows that list (the API has no province filter:
// a unit's scope lies in one province anyway).
import { get, withQuery } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { has, dmy } from '../i18n.js';
import { errorKey } from './errors.js';
import { PURPOSES } from './intake-codes.js';
import { ROLES, STATUSES, lastReason, VERIFY_OPEN, today } from './person-codes.js';
import { countries, byName, fillSelect, choose, placeText } from '../ref.js';
import { placePicker } from './place-picker.js';

const LIMIT = 100;
const CREATE_ROLES = ['hotline_operator', 'case_worker', 'investigator'];
const CASEWORK_ROLES = ['case_worker', 'investigator'];
const PARAMS = ['q', 'citizen_id', 'phone', 'commune', 'status', 'role', 'purpose', 'destination', 'overdue'];
// Kept in the address, not sent: the province of the commune picker.
const LOCAL = ['province'];
// Sent, kept in memory only: { user, terms }.
const IDENTITY = ['q', 'citizen_id', 'phone'];
let remembered = null;

function queryOf(hash) {
  const i = hash.indexOf('?');
  const q = new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
  return Object.fromEntries([...PARAMS, ...LOCAL].map((k) => [k, q.get(k) ?? '']));
}

const select = (first, options) => h('select', {},
  h('option', { value: '', i18n: first }), options);

// A person's name or pseudonym, linked to the page.
export function personLink(p) {
  const name = p.identity?.full_name;
  return h('a', { href: `#/persons/${p.id}` },
    name ? h('span', { class: 'person-name', vi: name }) : null,
    name ? ' ' : null,
    h('span', { class: 'mono pseudonym', text: p.pseudonym ?? `#${p.id}` }));
}

// The birth year (date), with "≈" when it is estimated from an age.
export function birth(p) {
  if (p.birth_date) return dmy(p.birth_date);
  if (p.birth_year) return `${p.birth_estimated ? '≈ ' : ''}${p.birth_year}`;
  return '';
}

export function overdue(p) {
  return Boolean(p.verify_due && VERIFY_OPEN.includes(p.status) && p.verify_due < today());
}

export function statusBadge(status) {
  return h('span', { class: `badge pstatus pstatus-${status}`, i18n: `person.status.${status}` });
}

export function render(ctx) {
  ctx.setTitle('person.list.title');
  const roles = ctx.user?.roles ?? [];
  const province = ctx.user?.org_unit?.level === 'province';
  const alert = alertBox();
  let query = queryOf(location.hash);
  if (IDENTITY.every((k) => !query[k]) && remembered?.user === ctx.user?.id)
    Object.assign(query, remembered.terms);

  // The search form.
  const q = field({ name: 'q', label: 'person.search.q', hint: 'person.search.q_hint',
    attrs: { autocomplete: 'off', spellcheck: 'false', maxlength: 200, 'data-autofocus': true } });
  const cid = field({ name: 'citizen_id', label: 'person.field.citizen_id',
    attrs: { autocomplete: 'off', inputmode: 'numeric', maxlength: 12, class: 'code' } });
  const phone = field({ name: 'phone', label: 'person.field.phone', type: 'tel',
    attrs: { autocomplete: 'off', inputmode: 'tel', maxlength: 20 } });
  const place = placePicker({
    province: { name: 'province', label: 'person.search.province', hint: 'person.search.province_hint' },
    commune: { name: 'commune', label: 'person.field.commune' },
    provinceEmpty: 'person.choose', communeEmpty: 'person.search.any' });
  const { province: provinceF, commune } = place;
  const ownProvince = ctx.user?.org_unit?.province_code ?? '';
  const status = field({ name: 'status', label: 'person.field.status',
    control: select('person.search.any', STATUSES.map((s) => h('option', { value: s, i18n: `person.status.${s}` }))) });
  const role = field({ name: 'role', label: 'person.field.role',
    control: select('person.search.any', ROLES.map((r) => h('option', { value: r, i18n: `person.role.${r}` }))) });
  const purpose = field({ name: 'purpose', label: 'person.event.purposes',
    control: select('person.search.any', PURPOSES.map(([top, subs]) => (subs.length
      ? h('optgroup', { attrs: { label: `purpose.${top}` } },
        h('option', { value: top, i18n: `purpose.${top}` }),
        subs.map((s) => h('option', { value: s, i18n: `purpose.${s}` })))
      : h('option', { value: top, i18n: `purpose.${top}` })))) });
  const dest = field({ name: 'destination', label: 'person.event.destination',
    control: select('person.search.any', []) });
  fillSelect(dest.input, () => countries().then((items) => byName(items.filter((c) => c.code !== 'VN'))), {
    onError: (err) => {
      if (!err.handled) dest.error(errorKey(err, 'person'));
    } });
  const overdueBox = h('input', { type: 'checkbox', id: 'persons-overdue', name: 'overdue' });
  const reason = field({ name: 'reason', label: 'person.reason.label', hint: 'person.reason.hint',
    attrs: { autocomplete: 'off', maxlength: 200 } });
  const fields = { q, citizen_id: cid, phone, province: provinceF, commune, status, role, purpose, destination: dest,
    reason };

  const submit = h('button', { type: 'submit', class: 'primary', i18n: 'person.search.submit' });
  const clear = h('button', { type: 'button', class: 'secondary', i18n: 'person.search.clear' });
  const form = h('form', { class: 'card person-search', novalidate: true, role: 'search',
    attrs: { 'aria-label': 'person.search.label' } },
    h('div', { class: 'row r-who' }, q.el, cid.el, phone.el),
    h('div', { class: 'row r-where' }, provinceF.el, commune.el, dest.el),
    h('div', { class: 'row r-what' }, status.el, role.el, purpose.el),
    h('div', { class: 'row r-more' },
      h('div', { class: 'check' }, overdueBox, h('label', { for: 'persons-overdue', i18n: 'person.search.overdue' })),
      province ? reason.el : null),
    h('div', { class: 'actions' }, submit, clear));

  const cols = ['person.col.person', 'person.col.role', 'person.col.sex_birth', 'person.col.commune',
    'person.col.status', 'person.col.received', 'person.col.verify_due'];
  const tbody = h('tbody');
  const table = h('table', { class: 'data persons' },
    h('caption', { i18n: 'person.list.caption' }),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))), tbody);
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const pseudoNote = h('p', { class: 'notice', hidden: true, i18n: 'person.list.pseudonymised' });

  function row(p) {
    const late = overdue(p);
    return h('tr', { class: late ? 'overdue' : null },
      h('th', { scope: 'row' }, personLink(p)),
      h('td', {}, h('span', { i18n: `person.role.${p.role}` })),
      h('td', { class: 'nowrap' }, h('span', { i18n: `person.sex.${p.sex}` }), birth(p) ? `, ${birth(p)}` : ''),
      h('td', {}, placeText(p.province, p.commune)),
      h('td', {}, statusBadge(p.status)),
      h('td', { class: 'nowrap', text: dmy(p.received_on) }),
      h('td', { class: `nowrap deadline${late ? ' overdue' : ''}` },
        p.verify_due && VERIFY_OPEN.includes(p.status) ? dmy(p.verify_due) : '',
        late ? [' ', h('span', { class: 'badge due-overdue', i18n: 'person.overdue' })] : null));
  }

  function fill() {
    for (const k of ['q', 'citizen_id', 'phone', 'status', 'role', 'purpose'])
      fields[k].input.value = query[k];
    choose(dest.input, query.destination);
    place.set(query.province || ownProvince, query.commune);
    overdueBox.checked = query.overdue === 'verify';
    reason.input.value = lastReason();
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    alert.hide();
    for (const f of Object.values(fields)) f.error(null);
    table.setAttribute('aria-busy', 'true');
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: cols.length, i18n: 'loading' })));
    count.textContent = '';
    pseudoNote.hidden = true;
    try {
      const res = await get(withQuery('/api/persons', { ...query, province: undefined,
        reason: province ? lastReason() : '', limit: LIMIT }));
      if (!ctx.current() || mine !== seq) return;
      const items = res.items ?? [];
      tbody.replaceChildren(...(items.length ? items.map(row)
        : [h('tr', {}, h('td', { colspan: cols.length, i18n: 'person.list.empty' }))]));
      setText(count, items.length >= LIMIT ? 'person.list.count_max' : 'person.list.count', { n: items.length });
      pseudoNote.hidden = !items.some((p) => p.identity === null);
    } catch (err) {
      if (!ctx.current() || mine !== seq || err.handled) return;
      tbody.replaceChildren();
      const f = fields[err.field];
      if (f) {
        f.error(has(`person.search.error.${err.field}`) ? `person.search.error.${err.field}` : errorKey(err, 'person'));
        f.input.focus();
      } else alert.show(errorKey(err, 'person'));
    } finally {
      if (mine === seq) table.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    query = Object.fromEntries([...PARAMS, ...LOCAL].map((k) => [k, '']));
    for (const k of ['q', 'citizen_id', 'phone', 'status', 'role', 'purpose', 'destination'])
      query[k] = fields[k].input.value.trim().normalize('NFC');
    Object.assign(query, place.value());
    query.overdue = overdueBox.checked ? 'verify' : '';
    lastReason(reason.input.value.trim().normalize('NFC'));
    // Kept in the address without a new route; identity terms in memory.
    remembered = { user: ctx.user?.id, terms: Object.fromEntries(IDENTITY.map((k) => [k, query[k]])) };
    history.replaceState(null, '', withQuery('#/persons', {
      ...query, ...Object.fromEntries(IDENTITY.map((k) => [k, ''])) }));
    load();
  });
  clear.addEventListener('click', () => {
    query = Object.fromEntries([...PARAMS, ...LOCAL].map((k) => [k, '']));
    remembered = null;
    fill();
    history.replaceState(null, '', '#/persons');
    load();
  });

  // Follow-up visits due (case workers and investigators).
  const visits = CASEWORK_ROLES.some((r) => roles.includes(r)) ? followUps(ctx) : null;

  fill();
  load();

  return h('div', { class: 'persons' },
    h('div', { class: 'title-row' },
      h('h1', { i18n: 'person.list.title' }),
      CREATE_ROLES.some((r) => roles.includes(r))
        ? h('a', { href: '#/persons/new', class: 'button-link', i18n: 'person.new.link' }) : null),
    visits,
    form,
    alert.el,
    pseudoNote,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'table-foot' }, count));
}

// The section of follow-up visits due within 14 days, overdue first.
function followUps(ctx) {
  const list = h('ul', { class: 'plain visits-due' }, h('li', { i18n: 'loading' }));
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  get('/api/follow-ups?days=14').then((res) => {
    if (!ctx.current()) return;
    const items = res.items ?? [];
    list.replaceChildren(...(items.length ? items.map((f) => h('li', { class: f.overdue ? 'overdue' : null },
      h('span', { class: 'nowrap', text: dmy(f.due_on) }), ' ',
      f.overdue ? h('span', { class: 'badge due-overdue', i18n: 'person.overdue' }) : null, ' ',
      f.pseudonym ? h('a', { href: `#/persons/${f.person_id}`, class: 'mono pseudonym', text: f.pseudonym })
        : h('a', { href: `#/persons/${f.person_id}`, i18n: 'person.visits.person', args: { id: String(f.person_id) } })))
      : [h('li', { class: 'muted', i18n: 'person.visits.none' })]));
  }, (e) => {
    if (!ctx.current() || e.handled) return;
    list.replaceChildren();
    err.hidden = false;
    setText(err, errorKey(e, 'person'));
  });
  return h('section', { class: 'card visits', 'aria-labelledby': 'visits-h' },
    h('h2', { id: 'visits-h', i18n: 'person.visits.title' }),
    h('p', { class: 'hint', i18n: 'person.visits.hint' }),
    list, err);
}
