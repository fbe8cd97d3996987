// plan-detail.js: one plan (#/plans/{id}, GET /api/plans/{id}) laid out
// like the document: the header (number, date, issuing unit, legal basis,
// period, the parent plan), the tasks by section with their lead and
// coordinating units, timing in words and status (overdue marked); under
// each task the coverage below (for plans above a commune: "n kế hoạch
// cấp dưới" with their places), the history of progress and, for a unit
// allowed to report, a progress form (period, status, reason for
// cannot_do, evidence, the unit's activities to link; sent with the
// version of the unit's entry for that period). A roll-up tab (GET
// /rollup?period=) by unit and by section; "Xây dựng kế hoạch cấp dưới"
// (POST /cascade with the tasks chosen) for users of a lower level;
// exports (XLSX, JSON) and a print view (#/plans/{id}/print: the national
// header, the title, the tasks table STT | Nội dung | Chủ trì | Phối hợp
// | Thời gian).
import { get, post, withQuery } from '../api.js';
import { h, field, alertBox, setText, time } from '../dom.js';
import { t, lang, dmy } from '../i18n.js';
import { errorKey, isStale, showConflict } from './errors.js';
import { periodText, hashQuery } from './report-common.js';
import { provinces, communes, refName } from '../ref.js';
import { holds, levelOf, above, statusBadge, overdueBadge, timingText, orderSections, todayVn, STATUSES,
  PLAN_WRITE_ROLES, PROGRESS_ROLES } from './plan-common.js';

// The name of a unit of a task: its org unit, or "all units".
function unitName(u) {
  if (u.all_units) return h('span', { class: 'unit all', i18n: 'plan.unit.all' });
  return h('span', { class: 'unit', vi: u.unit_name ?? u.phrase ?? '' });
}
const unitList = (list) => h('ul', { class: 'unit-list' }, (list ?? []).map((u) => h('li', {}, unitName(u))));

// The tasks of a plan grouped by section in document order:
// [{ section|null, depth, tasks }].
function grouped(plan) {
  const by = new Map();
  for (const task of plan.tasks ?? []) {
    const k = task.section_id ?? null;
    if (!by.has(k)) by.set(k, []);
    by.get(k).push(task);
  }
  // A section shows when it or a section below it holds tasks (a plan
  // cascaded from a few tasks keeps every section of the plan above).
  const parent = new Map((plan.sections ?? []).map((s) => [s.id, s.parent_id ?? null]));
  const used = new Set();
  for (const k of by.keys())
    for (let s = k, n = 0; s !== null && s !== undefined && !used.has(s) && n < 100; s = parent.get(s), n++)
      used.add(s);
  const out = [];
  if (by.has(null)) out.push({ section: null, depth: 0, tasks: by.get(null) });
  for (const { s, depth } of orderSections(plan.sections ?? [], (x) => x.id, (x) => x.parent_id))
    if (used.has(s.id)) out.push({ section: s, depth, tasks: by.get(s.id) ?? [] });
  return out;
}
const sectionTitle = (s) => `${s.number ? `${s.number}. ` : ''}${s.title ?? ''}`;

// The periods of progress within the plan's years: 2026-H1, 2026-H2, 2026.
function periods(plan) {
  const y0 = Number((plan.period_from ?? todayVn()).slice(0, 4));
  const y1 = Math.max(y0, Number((plan.period_to ?? todayVn()).slice(0, 4)));
  const keys = [];
  for (let y = y0; y <= y1 && keys.length < 30; y++) keys.push(`${y}-H1`, `${y}-H2`, String(y));
  return keys;
}
// The period a unit most likely reports task on now: the year for a task
// of the year (or every year), else the current half.
function currentPeriod(plan, task) {
  const d = todayVn();
  const yearly = ['year', 'yearly'].includes(task?.timing?.kind);
  const k = yearly ? d.slice(0, 4) : `${d.slice(0, 4)}-${Number(d.slice(5, 7)) <= 6 ? 'H1' : 'H2'}`;
  const ks = periods(plan);
  return ks.includes(k) ? k : ks[0];
}
function periodOptions(keys) {
  return keys.map((k) => {
    const p = periodText(k);
    return h('option', { value: k, i18n: p.key, args: p.args });
  });
}

// The names of the places below a plan's place (communes of a province,
// provinces of the nation), code -> name.
async function placeNames(code) {
  const lvl = levelOf(code);
  const items = lvl === 'nation' ? await provinces() : lvl === 'province' ? await communes(code) : [];
  return new Map(items.map((x) => [x.code, refName(x)]));
}

// The national header and the tasks table of the print view.
function printView(plan) {
  const today = new Date();
  const rows = [];
  for (const g of grouped(plan)) {
    if (g.section) rows.push(h('tr', { class: 'section' }, h('th', { colspan: 5, scope: 'rowgroup',
      text: sectionTitle(g.section) })));
    for (const task of g.tasks) {
      const tt = timingText(task.timing);
      rows.push(h('tr', { 'data-task': String(task.id) },
        h('td', { class: 'no', text: task.number ?? '' }),
        h('td', { text: task.text }),
        h('td', {}, unitList(task.lead)),
        h('td', {}, unitList(task.coordinate)),
        h('td', { i18n: tt.key, args: tt.args })));
    }
  }
  return h('div', { class: 'print-sheet plan-print' },
    h('div', { class: 'no-print actions' },
      h('button', { type: 'button', class: 'primary', i18n: 'plan.print.now', onclick: () => window.print() }),
      h('a', { href: `#/plans/${plan.id}`, i18n: 'plan.print.back' })),
    h('div', { class: 'print-head' },
      h('div', { class: 'print-unit' },
        h('p', { class: 'print-place', vi: plan.unit_name ?? '' }),
        h('p', { text: plan.number ? t('plan.print.number', { number: plan.number }) : '' })),
      h('div', { class: 'print-nation' },
        h('p', { class: 'nation', i18n: 'report.print.nation' }),
        h('p', { class: 'motto', i18n: 'report.print.motto' }),
        h('p', { class: 'print-date', i18n: 'report.print.date', args: { d: String(today.getDate()),
          m: String(today.getMonth() + 1), y: String(today.getFullYear()) } }))),
    h('p', { class: 'print-kind', i18n: 'plan.print.kind' }),
    h('h1', { class: 'print-title', vi: plan.title }),
    plan.legal_basis ? h('p', { class: 'print-period', text: plan.legal_basis }) : null,
    h('table', { class: 'data plan-print-table' },
      h('thead', {}, h('tr', {}, ['plan.print.col.no', 'plan.print.col.text', 'plan.col.lead', 'plan.col.coordinate',
        'plan.col.timing'].map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, rows)));
}

export function render(ctx, { print = false } = {}) {
  ctx.setTitle(print ? 'plan.print.title' : 'plan.detail');
  const id = ctx.args.id;
  const user = ctx.user ?? {};
  const unitId = user.org_unit?.id;
  const root = h('div', { class: print ? 'plan-print-page' : 'plan-detail' },
    h('h1', { i18n: print ? 'plan.print.title' : 'plan.detail' }), h('p', { i18n: 'loading' }));
  const done = h('div', { class: 'success', role: 'status', hidden: true });
  done.tabIndex = -1;
  let plan = null;
  let tab = hashQuery().get('tab') === 'rollup' ? 'rollup' : 'tasks';
  let activities = null; // GET /api/activities, once
  let openTask = null; // the task whose progress form is open
  let names = new Map();

  async function load(ok, focusTask) {
    try {
      const [p, list] = await Promise.all([get(`/api/plans/${id}`), print ? null : get('/api/plans').catch(() => null)]);
      if (!ctx.current()) return;
      plan = p;
      if (list) plan.parent = (list.items ?? []).find((x) => x.id === plan.parent_plan_id) ?? null;
      if (!print && levelOf(plan.admin_code) !== 'commune')
        names = await placeNames(plan.admin_code).catch(() => new Map());
      if (!ctx.current()) return;
      root.replaceChildren(...(print ? [printView(plan)] : page()));
      if (ok) {
        done.hidden = false;
        setText(done, ok);
      }
      const want = focusTask ?? Number(hashQuery().get('task') || 0);
      const row = want ? root.querySelector(`tr.task[data-task="${want}"]`) : null;
      if (row) {
        row.scrollIntoView({ block: 'center' });
        row.classList.add('focus');
      }
      if (ok) done.focus({ preventScroll: Boolean(row) });
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      root.replaceChildren(h('h1', { i18n: 'plan.detail' }),
        h('p', { class: 'alert', role: 'alert', i18n: errorKey(err, 'plan') }),
        h('p', {}, h('a', { href: '#/plans', i18n: 'plan.back' })));
    }
  }

  // May the user's unit report on task? Named on it, an all-units task of
  // its place, or the issuing unit; and a role that reports.
  function canReport(task) {
    if (!holds(user, PROGRESS_ROLES) || !unitId) return false;
    if (plan.unit_id === unitId) return true;
    const units = [...(task.lead ?? []), ...(task.coordinate ?? [])];
    if (units.some((u) => u.unit_id === unitId)) return true;
    return units.some((u) => u.all_units) && user.org_unit?.admin_code === plan.admin_code;
  }

  function page() {
    const pid = plan.id;
    const tabs = h('div', { class: 'tabs no-print', role: 'group', attrs: { 'aria-label': 'plan.tabs' } },
      ['tasks', 'rollup'].map((k) => h('button', { type: 'button', 'data-tab': k, 'aria-pressed': String(tab === k),
        i18n: `plan.tab.${k}`, onclick: () => { tab = k; root.replaceChildren(...page()); } })));
    const cascadeOk = holds(user, PLAN_WRITE_ROLES) && above(user, plan.admin_code);
    return [
      h('p', { class: 'no-print' }, h('a', { href: '#/plans', i18n: 'plan.back' })),
      h('h1', { class: 'plan-title', vi: plan.title }),
      done,
      h('dl', { class: 'facts plan-facts' },
        h('dt', { i18n: 'plan.field.number' }), h('dd', { class: 'number', text: plan.number || '—' }),
        h('dt', { i18n: 'plan.field.issued_on' }), h('dd', { class: 'issued', text: dmy(plan.issued_on) }),
        h('dt', { i18n: 'plan.field.unit' }), h('dd', { class: 'issuer', vi: plan.unit_name ?? '' }),
        h('dt', { i18n: 'plan.field.period' }), h('dd', { i18n: 'plan.period.range',
          args: { from: dmy(plan.period_from), to: dmy(plan.period_to) } }),
        plan.legal_basis ? h('dt', { i18n: 'plan.field.legal_basis' }) : null,
        plan.legal_basis ? h('dd', { class: 'legal', text: plan.legal_basis }) : null,
        plan.parent_plan_id ? h('dt', { i18n: 'plan.field.parent' }) : null,
        plan.parent_plan_id ? h('dd', {}, h('a', { class: 'parent-link', href: `#/plans/${plan.parent_plan_id}`,
          text: plan.parent ? `${plan.parent.number ? `${plan.parent.number} — ` : ''}${plan.parent.title}`
            : t('plan.parent_n', { id: plan.parent_plan_id }) })) : null),
      h('div', { class: 'report-tools no-print' },
        h('div', { class: 'exports', role: 'group', attrs: { 'aria-label': 'plan.export' } },
          h('span', { class: 'muted', i18n: 'plan.export' }),
          ['xlsx', 'json'].map((f) => h('a', { class: 'button secondary export', 'data-format': f, download: '',
            href: withQuery(`/api/plans/${pid}/export`, { format: f, lang: lang() }), i18n: `plan.export.${f}` }))),
        h('a', { class: 'button secondary print-link', href: `#/plans/${pid}/print`, i18n: 'plan.print' }),
        cascadeOk ? h('button', { type: 'button', class: 'secondary cascade-open', i18n: 'plan.cascade.open',
          onclick: (e) => { e.target.replaceWith(cascadeForm()); } }) : null),
      tabs,
      tab === 'tasks' ? tasksTable() : rollup(),
    ];
  }

  // --- the tasks ---
  function tasksTable() {
    const cols = ['plan.col.no', 'plan.col.text', 'plan.col.lead', 'plan.col.coordinate', 'plan.col.timing',
      'plan.col.status'];
    const body = [];
    for (const g of grouped(plan)) {
      if (g.section) body.push(h('tr', { class: `section depth-${g.depth}`, 'data-section': String(g.section.id) },
        h('th', { scope: 'rowgroup', colspan: cols.length, text: sectionTitle(g.section) })));
      for (const task of g.tasks) body.push(...taskRows(task, cols.length));
    }
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data plan-tasks' },
      h('caption', { i18n: 'plan.tasks', args: { n: (plan.tasks ?? []).length } }),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, body)));
  }

  function taskRows(task, span) {
    const tt = timingText(task.timing);
    const cov = task.coverage ?? { plans: 0, places: [] };
    const more = h('td', { colspan: span, class: 'task-more' },
      levelOf(plan.admin_code) !== 'commune' ? h('p', { class: 'coverage', 'data-plans': String(cov.plans ?? 0) },
        h('span', { i18n: 'plan.coverage', args: { n: cov.plans ?? 0 } }),
        (cov.places ?? []).length ? ': ' : null,
        (cov.places ?? []).map((c, i) => h('span', { class: 'place', 'data-place': c,
          text: `${i ? ', ' : ''}${names.get(c) ?? c}` }))) : null,
      history(task),
      canReport(task) ? progressArea(task) : null);
    return [
      h('tr', { class: `task ${task.overdue ? 'overdue' : ''}`, 'data-task': String(task.id),
        'data-status': task.status },
      h('td', { class: 'no', text: task.number ?? '' }),
      h('th', { scope: 'row', class: 'text' }, h('span', { text: task.text }),
        task.expected_output ? h('p', { class: 'hint', text: task.expected_output }) : null),
      h('td', { class: 'lead-units' }, unitList(task.lead)),
      h('td', { class: 'coordinate-units' }, unitList(task.coordinate)),
      h('td', { class: 'timing' }, h('span', { i18n: tt.key, args: tt.args }),
        task.due_on ? h('p', { class: 'hint', i18n: 'plan.due_on', args: { date: dmy(task.due_on) } }) : null),
      h('td', { class: 'status' }, statusBadge(task.status ?? 'not_started'), task.overdue ? ' ' : null,
        task.overdue ? overdueBadge() : null)),
      h('tr', { class: 'task-detail', 'data-task': String(task.id) }, more),
    ];
  }

  function history(task) {
    const list = task.progress ?? [];
    if (!list.length) return h('p', { class: 'muted no-progress', i18n: 'plan.progress.none' });
    return h('table', { class: 'data progress-history' },
      h('caption', { class: 'visually-hidden', i18n: 'plan.progress.history', args: { n: task.number ?? '' } }),
      h('thead', {}, h('tr', {}, ['plan.progress.col.period', 'plan.progress.col.unit', 'plan.col.status',
        'plan.progress.col.evidence', 'plan.progress.col.activities', 'plan.progress.col.at']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, list.map((e) => {
        const p = periodText(e.period);
        return h('tr', { 'data-entry': String(e.id), 'data-unit': String(e.unit_id), 'data-period': e.period,
          'data-status': e.status },
        h('td', { i18n: p.key, args: p.args }),
        h('td', { vi: e.unit_name ?? '' }),
        h('td', {}, statusBadge(e.status)),
        h('td', { class: 'evidence' }, e.evidence ? h('span', { text: e.evidence }) : null,
          e.reason ? h('p', { class: 'reason' }, h('span', { i18n: 'plan.progress.reason_shown' }), ' ',
            h('span', { text: e.reason })) : null),
        h('td', {}, (e.activities ?? []).map((a) => h('p', { class: 'activity', text: `${dmy(a.started_on)} — ${a.title}` })),
          (e.report_ids ?? []).map((r) => h('p', {}, h('a', { href: `#/reports/${r}`, i18n: 'plan.progress.report_n',
            args: { id: String(r) } })))),
        h('td', {}, e.reported_at ? time(e.reported_at) : null));
      })));
  }

  // A button that opens the progress form of the task (one at a time).
  function progressArea(task) {
    const box = h('div', { class: 'progress-area' });
    const btn = h('button', { type: 'button', class: 'small progress-open', i18n: 'plan.progress.open',
      args: { n: task.number ?? '' } });
    btn.addEventListener('click', async () => {
      openTask?.close?.();
      btn.disabled = true;
      if (!activities)
        activities = await get(withQuery('/api/activities', { limit: 200 })).then((r) => r.items ?? [], () => []);
      if (!ctx.current()) return;
      btn.hidden = true;
      const form = progressForm(task, () => {
        form.remove();
        btn.hidden = false;
        btn.disabled = false;
      });
      box.append(form);
      form.querySelector('select')?.focus();
    });
    box.append(btn);
    return box;
  }

  function progressForm(task, close) {
    const keys = periods(plan);
    const periodSel = h('select', {}, periodOptions(keys));
    periodSel.value = currentPeriod(plan, task);
    const statusSel = h('select', {}, STATUSES.map((s) => h('option', { value: s, i18n: `plan.status.${s}` })));
    const f = {
      period: field({ name: 'period', label: 'plan.progress.period', control: periodSel }),
      status: field({ name: 'status', label: 'plan.progress.status', control: statusSel }),
      reason: field({ name: 'reason', label: 'plan.progress.reason', hint: 'plan.progress.reason_hint',
        control: h('textarea', { rows: 2, maxlength: 2000 }) }),
      evidence: field({ name: 'evidence', label: 'plan.progress.evidence', hint: 'plan.progress.evidence_hint',
        control: h('textarea', { rows: 3, maxlength: 4000 }) }),
    };
    f.evidence.el.classList.add('full');
    f.reason.el.classList.add('full');
    const mine = (a) => a.unit_id === undefined || a.unit_id === unitId;
    const acts = (activities ?? []).filter(mine);
    const actBoxes = acts.map((a) => {
      const cb = h('input', { type: 'checkbox', id: `pa-${task.id}-${a.id}`, value: String(a.id),
        checked: a.plan_task_id === task.id });
      return h('span', { class: 'check' }, cb, h('label', { for: cb.id,
        text: `${dmy(a.started_on)} — ${a.title}` }));
    });
    const actField = h('fieldset', { class: 'group full activities-pick' },
      h('legend', { i18n: 'plan.progress.activities' }),
      actBoxes.length ? h('div', { class: 'checks' }, actBoxes) : h('p', { class: 'muted', i18n: 'plan.progress.no_activities' }));
    const entry = () => (task.progress ?? []).find((e) => e.unit_id === unitId && e.period === periodSel.value);
    const versionNote = h('p', { class: 'hint full version-note' });
    const showEntry = () => {
      const e = entry();
      f.reason.el.hidden = statusSel.value !== 'cannot_do';
      if (e) setText(versionNote, 'plan.progress.updating', { v: e.version ?? 0 });
      else setText(versionNote, 'plan.progress.first');
    };
    const fill = () => {
      const e = entry();
      if (e) {
        statusSel.value = e.status;
        f.reason.input.value = e.reason ?? '';
        f.evidence.input.value = e.evidence ?? '';
      }
      showEntry();
    };
    periodSel.addEventListener('change', fill);
    statusSel.addEventListener('change', showEntry);
    fill();

    const alert = alertBox();
    const submit = h('button', { type: 'submit', class: 'primary', i18n: 'plan.progress.save' });
    const cancel = h('button', { type: 'button', class: 'secondary', i18n: 'plan.progress.cancel', onclick: close });
    const form = h('form', { class: 'card grid-form progress-form', novalidate: true, 'data-task': String(task.id),
      'aria-labelledby': `pf-h-${task.id}` },
    h('h3', { id: `pf-h-${task.id}`, class: 'full', i18n: 'plan.progress.title', args: { n: task.number ?? '' } }),
    alert.el, f.period.el, f.status.el, f.reason.el, f.evidence.el, actField, versionNote,
    h('div', { class: 'actions' }, submit, cancel));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      alert.hide();
      for (const x of Object.values(f)) x.error(null);
      const status = statusSel.value;
      const reason = f.reason.input.value.trim();
      if (status === 'cannot_do' && !reason) {
        f.reason.error('plan.error.reason');
        f.reason.input.focus();
        return;
      }
      const body = { period: periodSel.value, status, reason: status === 'cannot_do' ? reason : null,
        evidence: f.evidence.input.value.trim() || null,
        activity_ids: [...actField.querySelectorAll('input:checked')].map((c) => Number(c.value)),
        version: entry()?.version ?? 0 };
      submit.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        await post(`/api/plans/${plan.id}/tasks/${task.id}/progress`, body);
        if (!ctx.current()) return;
        activities = null; // links changed
        await load('plan.progress.saved', task.id);
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        if (isStale(err)) {
          alert.show('plan.error.progress_conflict');
          const fresh = await get(`/api/plans/${plan.id}`).catch(() => null);
          const ft = fresh?.tasks?.find((x) => x.id === task.id);
          if (ft) {
            task.progress = ft.progress;
            showEntry();
          }
        } else if (showConflict(err, { alert, fields: f })) return; // a rule of the plan's state
        else if (f[err.field]) {
          f[err.field].error(`plan.error.${err.field}`);
          f[err.field].input.focus();
        } else if (err.field === 'activity_ids') alert.show('plan.error.activity_ids');
        else alert.show(errorKey(err, 'plan'));
      } finally {
        submit.disabled = false;
        form.removeAttribute('aria-busy');
      }
    });
    form.close = close;
    openTask = form;
    return form;
  }

  // --- the roll-up ---
  function rollup() {
    const sel = h('select', { id: 'plan-rollup-period' }, periodOptions(periods(plan)));
    sel.value = currentPeriod(plan);
    const out = h('div', { class: 'rollup-out', 'aria-live': 'polite' });
    const counts = ['tasks', 'not_started', 'in_progress', 'done', 'cannot_do', 'overdue'];
    const table = (cls, caption, first, items, name) => h('table', { class: `data ${cls}` },
      h('caption', { i18n: caption }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: first }),
        counts.map((k) => h('th', { scope: 'col', class: 'num', i18n: `plan.rollup.${k}` })))),
      h('tbody', {}, items.map((x) => h('tr', { 'data-id': String(x.unit_id ?? x.section_id ?? '') },
        h('th', { scope: 'row', vi: name(x) }),
        counts.map((k) => h('td', { class: `num ${k === 'overdue' && x[k] ? 'overdue-count' : ''}`, 'data-count': k,
          text: String(x[k] ?? 0) }))))));
    let seq = 0;
    async function show() {
      const mine = ++seq;
      out.replaceChildren(h('p', { i18n: 'loading' }));
      try {
        const r = await get(withQuery(`/api/plans/${plan.id}/rollup`, { period: sel.value }));
        if (!ctx.current() || mine !== seq) return;
        out.replaceChildren(
          h('div', { class: 'table-wrap' }, table('rollup-unit', 'plan.rollup.by_unit', 'plan.rollup.unit',
            r.by_unit ?? [], (x) => x.unit_name ?? '')),
          h('div', { class: 'table-wrap' }, table('rollup-section', 'plan.rollup.by_section', 'plan.rollup.section',
            r.by_section ?? [], (x) => (x.section_id ? sectionTitle(x) : t('plan.rollup.no_section')))));
      } catch (err) {
        if (!ctx.current() || mine !== seq || err.handled) return;
        out.replaceChildren(h('p', { class: 'alert', role: 'alert', i18n: errorKey(err, 'plan') }));
      }
    }
    sel.addEventListener('change', show);
    show();
    return h('section', { class: 'plan-rollup', 'aria-labelledby': 'plan-rollup-h' },
      h('h2', { id: 'plan-rollup-h', i18n: 'plan.rollup.title' }),
      h('div', { class: 'field inline' }, h('label', { for: 'plan-rollup-period', i18n: 'plan.rollup.period' }), sel),
      out);
  }

  // --- cascade: a plan of the user's level from chosen tasks ---
  function cascadeForm() {
    const year = todayVn().slice(0, 4);
    const f = {
      number: field({ name: 'number', label: 'plan.field.number', attrs: { maxlength: 100 } }),
      title: field({ name: 'title', label: 'plan.field.title', required: true,
        attrs: { maxlength: 500, value: t('plan.cascade.default_title', { place: user.org_unit?.name ?? '',
          title: plan.title }).slice(0, 500) } }),
      issued_on: field({ name: 'issued_on', label: 'plan.field.issued_on', type: 'date', required: true,
        attrs: { value: todayVn() } }),
      period_from: field({ name: 'period_from', label: 'plan.field.period_from', type: 'date', required: true,
        attrs: { value: plan.period_from ?? `${year}-01-01` } }),
      period_to: field({ name: 'period_to', label: 'plan.field.period_to', type: 'date', required: true,
        attrs: { value: plan.period_to ?? `${year}-12-31` } }),
    };
    f.title.el.classList.add('full');
    const boxes = (plan.tasks ?? []).map((task) => {
      const cb = h('input', { type: 'checkbox', id: `cas-${task.id}`, value: String(task.id) });
      return h('span', { class: 'check cascade-task' }, cb, h('label', { for: cb.id },
        h('strong', { text: task.number ?? '' }), ' ', h('span', { text: task.text.length > 160
          ? `${task.text.slice(0, 160)}…` : task.text })));
    });
    const pick = h('fieldset', { class: 'group full cascade-tasks' },
      h('legend', { i18n: 'plan.cascade.tasks' }), h('div', { class: 'cascade-list' }, boxes));
    const pickErr = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const alert = alertBox();
    const submit = h('button', { type: 'submit', class: 'primary', i18n: 'plan.cascade.save' });
    const form = h('form', { class: 'card grid-form cascade-form', novalidate: true, 'aria-labelledby': 'cas-h' },
      h('h2', { id: 'cas-h', class: 'full', i18n: 'plan.cascade.title' }),
      h('p', { class: 'hint full', i18n: 'plan.cascade.lead' }),
      alert.el, f.number.el, f.issued_on.el, f.title.el, f.period_from.el, f.period_to.el, pick, pickErr,
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      alert.hide();
      pickErr.hidden = true;
      for (const x of Object.values(f)) x.error(null);
      const ids = [...pick.querySelectorAll('input:checked')].map((c) => Number(c.value));
      let bad = null;
      for (const k of ['title', 'issued_on', 'period_from', 'period_to'])
        if (!f[k].input.value.trim()) {
          f[k].error(`plan.error.${k}`);
          bad ??= f[k].input;
        }
      if (!ids.length) {
        pickErr.hidden = false;
        setText(pickErr, 'plan.error.task_ids');
        bad ??= pick.querySelector('input');
      }
      if (bad) {
        bad.focus();
        return;
      }
      submit.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        const p = await post(`/api/plans/${plan.id}/cascade`, { task_ids: ids,
          number: f.number.input.value.trim() || null, title: f.title.input.value.trim(),
          issued_on: f.issued_on.input.value, period_from: f.period_from.input.value,
          period_to: f.period_to.input.value });
        if (!ctx.current()) return;
        ctx.go(`/plans/${p.id}`);
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        if (f[err.field]) {
          f[err.field].error(`plan.error.${err.field}`);
          f[err.field].input.focus();
        } else if (err.field === 'task_ids') {
          pickErr.hidden = false;
          setText(pickErr, 'plan.error.task_ids');
        } else alert.show(errorKey(err, 'plan'));
      } finally {
        submit.disabled = false;
        form.removeAttribute('aria-busy');
      }
    });
    setTimeout(() => f.number.input.focus());
    return form;
  }

  load();
  return root;
}

// The print view of the same plan (#/plans/{id}/print).
export const printPage = { render: (ctx) => render(ctx, { print: true }) };
