// audit.js: the auditor's view of the audit log (GET /api/audit): the
// hash chain's state, filters by user, action and outcome, 50 entries a page,
// newest first, with "older entries" below.
import { get, withQuery } from '../api.js';
import { h, field, alertBox, setText, time } from '../dom.js';
import { has, t, dmy } from '../i18n.js';
import { errorKey } from './errors.js';

const LIMIT = 50;

// Actions the server writes to the log (src/core, src/http), for the filter.
const ACTIONS = [
  'session.login', 'session.logout', 'user.password_change', 'user.create', 'user.disable',
  'user.password_reset', 'token.create', 'org_unit.create', 'key.rotate', 'db.restore',
  'person.create', 'person.import', 'person.read', 'person.search', 'person.step', 'person.event', 'person.support',
  'person.support.override',
  'person.consent', 'person.consent.withdraw', 'person.protection', 'person.protection.end',
  'person.follow_up', 'person.visit',
  'intake.create', 'intake.read', 'intake.classify', 'intake.extend', 'intake.decide', 'intake.resolve',
  'intake.person',
  'referral.send', 'referral.read', 'referral.accept', 'referral.refuse', 'referral.complete', 'referral.withdraw',
  'case.create', 'case.read', 'case.stage', 'case.update', 'case.offender_add', 'case.victim_link',
  'case.intake_link',
  'report.submit', 'report.approve', 'report.return', 'report.deadline',
  'activity.create', 'activity.update', 'plan.create', 'plan.cascade', 'plan.task.update', 'plan.progress',
];

// Outcomes, for the filter: refused reads ("denied") show probing.
const OUTCOMES = ['ok', 'denied', 'failed', 'locked'];

const named = (prefix, code) => (has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code);

// The reasons the server writes itself (src/core/case.c, referral.c), by
// action: [action, the reason, its text key, the text's values]. unit(id)
// names an org unit. Any other reason (what a user gave to read a record)
// is shown as it is.
const REASONS = [
  [/^case\.stage$/, /^stage (\w+) -> (\w+) on (\d{4}-\d{2}-\d{2})$/, 'audit.reason.stage',
    (m) => ({ from: named('case.stage', m[1]), to: named('case.stage', m[2]), on: dmy(m[3]) })],
  [/^case\.offender_add$/, /^offender \((\w+)\)$/, 'audit.reason.offender',
    (m) => ({ role: named('case.role', m[1]) })],
  [/^case\.victim_link$/, /^victim person (\d+)$/, 'audit.reason.victim', (m) => ({ id: m[1] })],
  [/^case\.intake_link$/, /^intake (\d+)$/, 'audit.reason.intake', (m) => ({ id: m[1] })],
  [/^referral\./, /^referral (\d+) from unit (\d+) to (\d+)$/, 'audit.reason.referral',
    (m, unit) => ({ id: m[1], from: unit(m[2]), to: unit(m[3]) })],
];

// The reason of entry e in the current language: a server-written one
// from REASONS, else e.reason as it is.
export function reasonText(e, unit = (id) => t('audit.reason.unit', { id })) {
  const reason = e.reason ?? '';
  for (const [action, re, key, args] of REASONS) {
    const m = action.test(e.action ?? '') ? re.exec(reason) : null;
    if (m) return t(key, args(m, unit));
  }
  return reason;
}

export function render(ctx) {
  ctx.setTitle('nav.audit');
  const alert = alertBox();
  const chain = h('p', { class: 'chain', role: 'status', hidden: true });
  const user = field({ name: 'user', label: 'audit.user',
    attrs: { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 } });
  const actionSelect = h('select', {},
    h('option', { value: '', i18n: 'audit.action_all' }),
    ACTIONS.map((a) => h('option', { value: a, i18n: `audit.act.${a}` })));
  const action = field({ name: 'action', label: 'audit.action', control: actionSelect });
  const outcomeSelect = h('select', {},
    h('option', { value: '', i18n: 'audit.outcome_all' }),
    OUTCOMES.map((o) => h('option', { value: o, i18n: `audit.outcome.${o}` })));
  const outcome = field({ name: 'outcome', label: 'audit.col.outcome', control: outcomeSelect });
  const clear = h('button', { type: 'button', class: 'secondary', i18n: 'audit.clear' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-labelledby': 'audit-filter-h' },
    h('h2', { id: 'audit-filter-h', class: 'visually-hidden', i18n: 'audit.filter' }),
    user.el, action.el, outcome.el,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', i18n: 'audit.apply' }), clear));
  const cols = ['audit.col.at', 'audit.col.user', 'audit.col.action', 'audit.col.object',
    'audit.col.outcome', 'audit.col.ip', 'audit.col.reason'];
  const tbody = h('tbody', {}, h('tr', {}, h('td', { colspan: cols.length, i18n: 'loading' })));
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary', i18n: 'audit.more', hidden: true });
  const table = h('table', { class: 'data audit' },
    h('caption', { i18n: 'audit.caption' }),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
    tbody);

  let filter = {};
  let shown = 0;
  let oldest = null;
  // The reason cells, each with its entry: written again when the language
  // changes or the units' names arrive (GET /api/units, once).
  const reasons = [];
  let units = new Map();
  const unit = (id) => units.get(Number(id)) ?? t('audit.reason.unit', { id });
  const relabel = () => {
    for (const [td, e] of reasons) td.textContent = reasonText(e, unit);
  };
  get('/api/units').then((r) => {
    if (!ctx.current()) return;
    units = new Map((r.items ?? []).map((u) => [u.id, u.name]));
    relabel();
  }, () => {});
  const onLang = () => {
    if (ctx.current()) relabel();
    else document.removeEventListener('ctip:lang', onLang);
  };
  document.addEventListener('ctip:lang', onLang);

  const label = (prefix, code) => (has(`${prefix}.${code}`)
    ? h('span', { i18n: `${prefix}.${code}`, title: code }) : h('span', { class: 'mono', text: code ?? '' }));

  function row(e) {
    const id = e.object_id === null || e.object_id === undefined ? '' : String(e.object_id);
    const failed = e.outcome && e.outcome !== 'ok' && e.outcome !== 'success';
    const reason = h('td', { class: 'reason', text: reasonText(e, unit) });
    reasons.push([reason, e]);
    return h('tr', { class: failed ? 'failed' : null },
      h('td', { class: 'nowrap' }, time(e.at)),
      h('th', { scope: 'row', class: 'mono', text: e.username ?? '' }),
      h('td', {}, label('audit.act', e.action)),
      h('td', {}, e.object_type ? label('audit.obj', e.object_type) : null,
        id ? [' ', h('span', { class: 'mono', text: id })] : null),
      h('td', { class: failed ? 'outcome-bad' : null }, label('audit.outcome', e.outcome)),
      h('td', { class: 'mono', text: e.ip ?? '' }),
      reason);
  }

  async function load(append) {
    alert.hide();
    more.disabled = true;
    try {
      const res = await get(withQuery('/api/audit',
        { limit: LIMIT, before_id: append ? oldest : null, ...filter }));
      if (!ctx.current()) return;
      const items = res.items ?? [];
      if (!append) {
        tbody.replaceChildren();
        reasons.length = 0;
        shown = 0;
      }
      tbody.append(...items.map(row));
      shown += items.length;
      if (!shown) tbody.replaceChildren(h('tr', {}, h('td', { colspan: cols.length, i18n: 'audit.empty' })));
      if (items.length) oldest = items[items.length - 1].id;
      more.hidden = items.length < LIMIT;
      setText(count, 'audit.count', { n: shown });
      if (res.chain !== undefined) {
        const ok = res.chain === 'ok';
        chain.hidden = false;
        chain.className = `chain ${ok ? 'ok' : 'broken'}`;
        chain.setAttribute('role', ok ? 'status' : 'alert');
        setText(chain, ok ? 'audit.chain.ok' : 'audit.chain.broken', { where: res.chain });
      }
    } catch (err) {
      if (ctx.current() && !err.handled) alert.show(errorKey(err, 'audit'));
    } finally {
      more.disabled = false;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filter = { user: user.input.value.trim(), action: actionSelect.value, outcome: outcomeSelect.value };
    load(false);
  });
  clear.addEventListener('click', () => {
    form.reset();
    filter = {};
    load(false);
    user.input.focus();
  });
  more.addEventListener('click', () => load(true));
  load(false);

  return h('div', {},
    h('h1', { i18n: 'nav.audit' }),
    chain,
    form,
    alert.el,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'table-foot' }, count, more));
}
