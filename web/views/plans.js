// plans.js: the plans in the user's scope (kế hoạch): on top, the user's
// unit's due list (GET /api/plans/due: overdue in red, then due soon);
// then the plans (GET /api/plans) with their number, title, issuing unit,
// date, tasks and overdue count. Supervisors and statisticians get the
// button to import a plan document (#/plans/import).
import { get } from '../api.js';
import { h } from '../dom.js';
import { dmy } from '../i18n.js';
import { errorKey } from './errors.js';
import { holds, PLAN_WRITE_ROLES, statusBadge } from './plan-common.js';

function dueItem(d) {
  const days = Math.abs(d.days_left ?? 0);
  return h('li', { class: `plan-due ${d.overdue ? 'overdue' : 'soon'}`, 'data-task': String(d.task_id),
    'data-overdue': d.overdue ? 'true' : 'false' },
  h('span', { class: `badge ${d.overdue ? 'due-overdue' : 'due-soon'}`,
    i18n: d.overdue ? 'plan.due.overdue_days' : 'plan.due.soon_days', args: { n: days } }), ' ',
  h('a', { href: `#/plans/${d.plan_id}?task=${d.task_id}` },
    h('strong', { class: 'num', text: d.number ?? '' }), ' ', h('span', { class: 'text', text: d.text ?? '' })),
  ' ', h('span', { class: 'muted', i18n: 'plan.due.line', args: { due: dmy(d.due_on), plan: d.plan_title ?? '' } }),
  ' ', statusBadge(d.status ?? 'not_started'));
}

export function render(ctx) {
  ctx.setTitle('plan.title');
  const dueList = h('ul', { class: 'plan-due-list' }, h('li', { i18n: 'loading' }));
  const tbody = h('tbody', {}, h('tr', {}, h('td', { colspan: 6, i18n: 'loading' })));
  const cols = ['plan.col.number', 'plan.col.title', 'plan.col.unit', 'plan.col.issued_on', 'plan.col.tasks',
    'plan.col.overdue'];

  get('/api/plans/due?days=30').then((res) => {
    if (!ctx.current()) return;
    const items = [...(res.items ?? [])].sort((a, b) => Number(b.overdue) - Number(a.overdue)
      || (a.days_left ?? 0) - (b.days_left ?? 0));
    dueList.replaceChildren(...(items.length ? items.map(dueItem)
      : [h('li', { class: 'muted', i18n: 'plan.due.none' })]));
  }, (err) => {
    if (!ctx.current() || err.handled) return;
    dueList.replaceChildren(h('li', { class: 'field-error', i18n: errorKey(err, 'plan') }));
  });

  get('/api/plans').then((res) => {
    if (!ctx.current()) return;
    const items = res.items ?? [];
    tbody.replaceChildren(...(items.length ? items.map((p) => h('tr', { 'data-id': String(p.id),
      class: p.overdue ? 'has-overdue' : null },
    h('td', { class: 'nowrap', text: p.number || '—' }),
    h('th', { scope: 'row' }, h('a', { href: `#/plans/${p.id}`, vi: p.title })),
    h('td', { vi: p.unit_name ?? '' }),
    h('td', { class: 'nowrap', text: dmy(p.issued_on) }),
    h('td', { class: 'num', text: String(p.tasks ?? 0) }),
    h('td', { class: `num ${p.overdue ? 'overdue-count' : ''}`, text: String(p.overdue ?? 0) })))
      : [h('tr', {}, h('td', { colspan: cols.length, i18n: 'plan.empty' }))]));
  }, (err) => {
    if (!ctx.current() || err.handled) return;
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: cols.length, class: 'field-error',
      i18n: errorKey(err, 'plan') })));
  });

  return h('div', { class: 'plans' },
    h('div', { class: 'title-row' }, h('h1', { i18n: 'plan.title' }),
      holds(ctx.user, PLAN_WRITE_ROLES)
        ? h('a', { class: 'button primary', href: '#/plans/import', i18n: 'plan.import.button' }) : null),
    h('p', { class: 'lead', i18n: 'plan.lead' }),
    h('section', { class: 'card plan-due-card', 'aria-labelledby': 'plan-due-h' },
      h('h2', { id: 'plan-due-h', i18n: 'plan.due.title' }), dueList),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data plans-list' },
      h('caption', { i18n: 'plan.list' }),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))), tbody)));
}
