// cases.js: criminal cases (vụ án hình sự). Three parts, each shown to who
// may use it: the cases of the user's unit or province (GET /api/cases,
// filtered by stage) with links to each case; a form to open a new lead
// (investigators, POST /api/cases); the programme's KPI rates for a period
// (GET /api/kpi/cases): investigated and solved, indicted, tried, each with
// its count, target and status in words, not by colour only.
import { get, post, withQuery } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { pick, dmy } from '../i18n.js';
import { errorKey } from './errors.js';
import { placePicker } from './place-picker.js';
import { rateProps, lightBadge } from './kpi.js';

export const STAGES = ['lead', 'initiated', 'investigated', 'solved', 'indicted', 'tried', 'verdict',
  'suspended', 'closed'];
export const ARTICLES = ['150', '151', 'other'];
const LIST_ROLES = ['investigator', 'procurator', 'judge', 'supervisor'];
const RATES = ['solved', 'indicted', 'tried'];

// Today in Viet Nam, yyyy-mm-dd.
export function today() {
  return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
}

// Badge colours of the shared style sheet: final verdict green, stopped
// grey, in progress amber.
const STAGE_TONE = { verdict: 'on', suspended: 'off', closed: 'off' };

export function stageBadge(stage) {
  return h('span', { class: `badge case-stage stage-${stage} ${STAGE_TONE[stage] ?? 'wait'}`,
    i18n: `case.stage.${stage}` });
}

export function render(ctx) {
  ctx.setTitle('case.title');
  const roles = ctx.user?.roles ?? [];
  const nation = ctx.user?.org_unit?.level === 'nation';
  const lists = !nation && LIST_ROLES.some((r) => roles.includes(r));
  const opens = !nation && roles.includes('investigator');
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true });
  done.tabIndex = -1;

  // --- the list ---
  const stageSel = h('select', { id: 'case-stage-filter' },
    h('option', { value: '', i18n: 'case.filter.all' }),
    STAGES.map((s) => h('option', { value: s, i18n: `case.stage.${s}` })));
  const cols = ['case.col.id', 'case.col.number', 'case.col.article', 'case.col.stage', 'case.col.stage_on',
    'case.col.initiated_on'];
  const tbody = h('tbody');
  const table = h('table', { class: 'data cases' }, h('caption', { i18n: 'case.caption' }),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))), tbody);

  let seq = 0;
  async function load() {
    const mine = ++seq;
    table.setAttribute('aria-busy', 'true');
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: cols.length, i18n: 'loading' })));
    try {
      const res = await get(withQuery('/api/cases', { stage: stageSel.value, limit: 200 }));
      if (!ctx.current() || mine !== seq) return;
      const items = res.items ?? [];
      tbody.replaceChildren(...(items.length ? items.map((c) => h('tr', { 'data-id': String(c.id) },
        h('th', { scope: 'row' }, h('a', { href: `#/cases/${c.id}`, class: 'mono', text: String(c.id) })),
        h('td', { class: 'mono', text: c.case_number ?? '—' }),
        h('td', { i18n: c.article ? `case.article.${c.article}` : 'case.article.none' }),
        h('td', {}, stageBadge(c.stage)),
        h('td', { class: 'nowrap', text: c.stage_on ? dmy(c.stage_on) : '—' }),
        h('td', { class: 'nowrap', text: c.initiated_on ? dmy(c.initiated_on) : '—' })))
        : [h('tr', {}, h('td', { colspan: cols.length, i18n: 'case.empty' }))]));
      table.removeAttribute('aria-busy');
    } catch (err) {
      if (!ctx.current() || mine !== seq || err.handled) return;
      tbody.replaceChildren();
      table.removeAttribute('aria-busy');
      alert.show(errorKey(err, 'case'));
    }
  }
  stageSel.addEventListener('change', load);

  // --- a new lead ---
  function newForm() {
    const title = field({ name: 'title', label: 'case.field.title', required: true,
      hint: 'case.field.title_hint', attrs: { maxlength: 500, autocomplete: 'off' } });
    const article = field({ name: 'article', label: 'case.field.article',
      control: h('select', {}, h('option', { value: '', i18n: 'case.article.none' }),
        ARTICLES.map((a) => h('option', { value: a, i18n: `case.article.${a}` }))) });
    const formAlert = alertBox();
    const submit = h('button', { type: 'submit', class: 'primary', i18n: 'case.new.submit' });
    const form = h('form', { class: 'card action case-new', novalidate: true, 'aria-labelledby': 'case-new-h' },
      h('h2', { id: 'case-new-h', i18n: 'case.new.title' }), formAlert.el, title.el, article.el,
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      title.error(null);
      formAlert.hide();
      const text = title.input.value.trim().normalize('NFC');
      if (!text) {
        title.error('case.error.title_required');
        title.input.focus();
        return;
      }
      submit.disabled = true;
      try {
        const c = await post('/api/cases', { title: text, article: article.input.value || null });
        if (!ctx.current()) return;
        ctx.go(`/cases/${c.id}`);
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        if (err.field === 'title') {
          title.error(pick(`case.error.${err.code}`, errorKey(err, 'case')));
          title.input.focus();
        } else formAlert.show(errorKey(err, 'case'));
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  // --- the KPIs ---
  const year = today().slice(0, 4);
  const from = field({ name: 'from', label: 'case.kpi.from', type: 'date', attrs: { value: `${year}-01-01` } });
  const to = field({ name: 'to', label: 'case.kpi.to', type: 'date', attrs: { value: today() } });
  // A national unit may narrow the rates to a province (the list of
  // place-picker.js, without communes); the others see their own scope.
  const place = nation ? placePicker({ province: { name: 'province', label: 'case.kpi.place.province' },
    provinceEmpty: 'case.kpi.place.all' }) : null;
  const province = place?.province ?? null;
  const kpiAlert = alertBox();
  const kpiOut = h('div', { class: 'kpi-out', 'aria-live': 'polite' });
  const kpiForm = h('form', { class: 'card kpi-form', novalidate: true, 'aria-labelledby': 'case-kpi-h' },
    h('h2', { id: 'case-kpi-h', i18n: 'case.kpi.title' }),
    h('p', { class: 'hint', i18n: 'case.kpi.lead' }),
    kpiAlert.el,
    h('div', { class: 'row' }, from.el, to.el, province?.el),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', i18n: 'case.kpi.submit' })),
    kpiOut);

  function rateRow(name, r) {
    return h('tr', { class: `kpi-${r.status}`, 'data-rate': name },
      h('th', { scope: 'row', i18n: `case.kpi.rate.${name}` }),
      h('td', { class: 'num', text: `${r.count} / ${r.of}` }),
      h('td', { class: 'num', ...rateProps(r.rate) }),
      h('td', { class: 'num', i18n: `case.kpi.target.${r.comparison}`, args: { pct: String(Math.round(r.target * 100)) } }),
      h('td', {}, lightBadge(r.status)));
  }

  async function loadKpi() {
    kpiAlert.hide();
    from.error(null);
    to.error(null);
    province?.error(null);
    try {
      const k = await get(withQuery('/api/kpi/cases', { from: from.input.value, to: to.input.value,
        province: place?.value().province }));
      if (!ctx.current()) return;
      const c = k.counts;
      kpiOut.replaceChildren(
        h('table', { class: 'data kpi' },
          h('caption', { i18n: 'case.kpi.caption', args: { from: dmy(k.period.from), to: dmy(k.period.to),
            n: String(c.initiated) } }),
          h('thead', {}, h('tr', {}, ['case.kpi.col.rate', 'case.kpi.col.count', 'case.kpi.col.rate_value',
            'case.kpi.col.target', 'case.kpi.col.status'].map((key) => h('th', { scope: 'col', i18n: key })))),
          h('tbody', {}, RATES.map((n) => rateRow(n, k[n])))),
        h('p', { class: 'muted kpi-counts', i18n: 'case.kpi.counts', args: Object.fromEntries(
          Object.entries(c).map(([key, v]) => [key, String(v)])) }));
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      const f = { from, to, province }[err.field];
      if (f) f.error(pick(`case.kpi.error.${err.field}`, errorKey(err, 'case')));
      else kpiAlert.show(errorKey(err, 'case'));
    }
  }
  kpiForm.addEventListener('submit', (e) => {
    e.preventDefault();
    loadKpi();
  });
  loadKpi();
  if (lists) load();

  return h('div', { class: 'cases' },
    h('h1', { i18n: 'case.title' }),
    done,
    alert.el,
    lists ? h('section', { 'aria-labelledby': 'case-list-h' },
      h('h2', { id: 'case-list-h', i18n: 'case.list.title' }),
      h('div', { class: 'filters' }, h('label', { for: 'case-stage-filter', i18n: 'case.filter' }), ' ', stageSel),
      h('div', { class: 'table-wrap' }, table)) : null,
    opens ? newForm() : null,
    kpiForm);
}
