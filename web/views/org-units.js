// org-units.js: the administrator's list of org units (GET /api/org-units)
// and the form that adds one (POST /api/org-units: agency x admin unit,
// the admin unit chosen with the picker of place-picker.js: the national
// level (VN, an option of its own), a province alone, or one of its
// communes).
import { get, post } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { errorKey } from './errors.js';
import { placePicker } from './place-picker.js';

// Agency codes of the reference data (data/agencies); names are texts.
export const AGENCIES = [
  'POLICE', 'BORDER_GUARD', 'COAST_GUARD', 'MILITARY', 'HEALTH', 'PEOPLES_COMMITTEE',
  'STEERING_COMMITTEE', 'FOREIGN_AFFAIRS', 'JUSTICE', 'LEGAL_AID', 'PROCURACY', 'COURT',
  'WOMENS_UNION', 'SOCIAL_FACILITY', 'EDUCATION', 'CULTURE_INFO', 'HOME_AFFAIRS',
  'SCIENCE_TECH', 'FINANCE', 'HOTLINE_111', 'YOUTH_UNION', 'FARMERS_UNION',
  'FATHERLAND_FRONT', 'OTHER',
];

const LEVEL_ORDER = { nation: 0, province: 1, commune: 2 };

// National units first, then by province code, province before commune, by name.
export function sortUnits(items) {
  const rank = (u) => LEVEL_ORDER[u.level] ?? 3;
  return [...items].sort((a, b) => {
    const na = a.level === 'nation';
    const nb = b.level === 'nation';
    if (na !== nb) return na ? -1 : 1;
    return String(a.province_code ?? '').localeCompare(String(b.province_code ?? ''))
      || rank(a) - rank(b)
      || String(a.name).localeCompare(String(b.name), 'vi');
  });
}

export function unitLabel(u) {
  return u.admin_code ? `${u.name} (${u.admin_code})` : u.name;
}

export function render(ctx) {
  ctx.setTitle('nav.org_units');
  const alert = alertBox();
  const listAlert = alertBox();
  const done = h('p', { class: 'success', role: 'status', hidden: true });
  const agencySelect = h('select', {},
    h('option', { value: '', i18n: 'orgs.agency_choose' }),
    AGENCIES.map((a) => h('option', { value: a, i18n: `agency.${a}` })));
  const agency = field({ name: 'agency', label: 'orgs.agency', required: true, control: agencySelect });
  const place = placePicker({
    province: { name: 'province', label: 'orgs.place.province', hint: 'orgs.place.province_hint' },
    commune: { name: 'commune', label: 'orgs.place.commune', hint: 'orgs.place.commune_hint' },
    provinceEmpty: 'orgs.place.choose', communeEmpty: 'orgs.place.none' });
  const { province, commune } = place;
  province.input.options[0].after(h('option', { value: 'VN', i18n: 'orgs.place.nation' }));
  // The admin code: the commune's, else the province's (or VN).
  const adminCode = () => {
    const { province: p, commune: c } = place.value();
    return c || p;
  };
  // A server error on admin_code goes to the finest part chosen.
  const fields = { agency, get admin_code() { return place.value().commune ? commune : province; } };
  const submit = h('button', { type: 'submit', class: 'primary', i18n: 'orgs.submit' });
  const form = h('form', { class: 'grid-form cols-3', novalidate: true, 'aria-labelledby': 'orgs-create-h' },
    alert.el, agency.el, province.el, commune.el, h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.hide();
    done.hidden = true;
    agency.error(null);
    province.error(null);
    commune.error(null);
    const body = { agency: agencySelect.value, admin_code: adminCode() };
    let first = null;
    if (!body.agency) { agency.error('orgs.error.agency'); first = agencySelect; }
    if (!body.admin_code) { province.error('orgs.error.place'); first ??= province.input; }
    if (first) { first.focus(); return; }
    submit.disabled = true;
    try {
      const unit = await post('/api/org-units', body);
      if (!ctx.current()) return;
      form.reset();
      place.set('', '');
      done.hidden = false;
      // Adding a unit that exists answers that unit (201 all the same).
      setText(done, known.has(unit.id) ? 'orgs.exists' : 'orgs.created', { name: unit.name });
      load();
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      const f = fields[err.field];
      if (f) {
        f.error(err.code === 'exists' ? 'orgs.error.exists' : `orgs.error.${err.field}`);
        f.input.focus();
      } else alert.show(err.code === 'exists' ? 'orgs.error.exists' : errorKey(err, 'orgs'));
    } finally {
      submit.disabled = false;
    }
  });

  const tbody = h('tbody', {}, h('tr', {}, h('td', { colspan: 4, i18n: 'loading' })));
  const table = h('table', { class: 'data' },
    h('caption', { i18n: 'orgs.list' }),
    h('thead', {}, h('tr', {},
      ['orgs.col.name', 'orgs.col.agency', 'orgs.col.admin_code', 'orgs.col.level']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
    tbody);

  const known = new Set(); // ids listed, to tell "added" from "exists already"

  async function load() {
    try {
      const { items } = await get('/api/org-units');
      if (!ctx.current()) return;
      for (const u of items) known.add(u.id);
      tbody.replaceChildren(...sortUnits(items).map((u) => h('tr', {},
        h('th', { scope: 'row', vi: u.name }),
        h('td', AGENCIES.includes(u.agency) ? { i18n: `agency.${u.agency}` } : { text: u.agency ?? '' }),
        h('td', { class: 'mono', text: u.admin_code ?? '' }),
        h('td', u.level ? { i18n: `orgs.level.${u.level}` } : {}))));
    } catch (err) {
      if (ctx.current() && !err.handled) {
        tbody.replaceChildren();
        listAlert.show(errorKey(err, 'orgs'));
      }
    }
  }
  load();

  return h('div', {},
    h('h1', { i18n: 'nav.org_units' }),
    h('section', { class: 'card', 'aria-labelledby': 'orgs-create-h' },
      h('h2', { id: 'orgs-create-h', i18n: 'orgs.create' }),
      form, done),
    h('section', { 'aria-labelledby': 'orgs-list-h' },
      h('h2', { id: 'orgs-list-h', class: 'visually-hidden', i18n: 'orgs.list' }),
      listAlert.el,
      h('div', { class: 'table-wrap' }, table)));
}
