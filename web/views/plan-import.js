// plan-import.js: a plan document into a plan (#/plans/import). The file
// (.txt or .md) is sent as it is, as text/plain, to POST /api/plans/import,
// which judges it (empty, binary, too large, no tasks: said in Vietnamese)
// and answers a proposal, not saved. The reviewer sees it as a table laid
// out like the document: sections as header rows; each task with its
// number, its text (editable), its timing (a kind and dates), its lead and
// coordinating units as chips (the phrase of the document under the unit
// it was matched to; a phrase not recognised in amber) with a select to
// pick a unit (those of GET /api/units at the plan's place or below it: the
// importing user's place, as the server insists), an agency of the place
// or "all units", and a box to drop the task. Then the plan's own fields
// (number, title, date, legal basis, period, parent plan) and "Lưu kế
// hoạch" (POST /api/plans), which opens the saved plan. Tasks left without a lead unit or a timing
// get the defaults chosen above the table (the user's unit; continuous).
import { get, post, postText } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { t, pick } from '../i18n.js';
import { errorKey } from './errors.js';
import { AGENCIES } from './org-units.js';
import { orderSections, TIMING_KINDS, above, todayVn } from './plan-common.js';

// The Vietnamese text of an import refusal (field "file"), by its message.
export function importErrorKey(err) {
  if (err.status === 413 || err.code === 'too_big') return { key: 'plan.import.error.too_big', args: {} };
  if (err.code === 'invalid' && err.field === 'file') {
    const m = err.message ?? '';
    const at = /byte (\d+)/.exec(m);
    if (/empty/.test(m)) return { key: 'plan.import.error.empty', args: {} };
    if (/binary/.test(m)) return { key: 'plan.import.error.binary', args: { at: at ? at[1] : '?' } };
    if (/UTF-8/.test(m)) return { key: 'plan.import.error.utf8', args: { at: at ? at[1] : '?' } };
    if (/no tasks/.test(m)) return { key: 'plan.import.error.no_tasks', args: {} };
    return { key: 'plan.import.error.file', args: {} };
  }
  return { key: errorKey(err, 'plan'), args: {} };
}

// "ngày 15 tháng 02 năm 2026" -> 2026-02-15 (null when a part is blank).
function parseDate(s) {
  const m = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/i.exec(s ?? '');
  if (!m) return null;
  return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

// dd/mm <-> MM-DD of a yearly timing.
const toMd = (s) => {
  const m = /^(\d{1,2})\/(\d{1,2})$/.exec((s ?? '').trim());
  return m ? `${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : null;
};
const fromMd = (s) => (/^\d{2}-\d{2}$/.test(s ?? '') ? `${s.slice(3)}/${s.slice(0, 2)}` : '');

// The value of a unit in the selects: 'all', 'u:<id>', 'a:<agency>' or ''.
function unitValue(u) {
  if (u.all_units || u.agency === 'ALL') return 'all';
  if (u.unit_id) return `u:${u.unit_id}`;
  if (u.agency) return `a:${u.agency}`;
  return '';
}

// May a plan of place (the importing user's: VN, a province or a commune
// code) name org unit u? Its own place's units and those below it.
export function unitAtOrBelow(u, place) {
  if (!place) return false;
  return place === 'VN' || u.admin_code === place || u.province_code === place;
}

export function render(ctx) {
  ctx.setTitle('plan.import.title');
  const user = ctx.user ?? {};
  let units = []; // GET /api/units at the plan's place or below
  let parents = []; // plans of a level above, for parent_plan_id
  let proposal = null;
  let stats = null;
  let rows = []; // per task: { task, drop, text, kind, due, from, to, lead: [unit], coordinate: [unit], tr, err }
  const place = user.org_unit?.admin_code ?? '';
  const unitsReady = get('/api/units').then((r) => {
    units = (r.items ?? []).filter((u) => unitAtOrBelow(u, place));
  }, () => { units = []; });
  const parentsReady = get('/api/plans').then((r) => {
    parents = (r.items ?? []).filter((p) => above(user, p.admin_code));
  }, () => { parents = []; });

  // --- the file ---
  const fileF = field({ name: 'file', label: 'plan.import.file', hint: 'plan.import.file_hint',
    attrs: { accept: '.txt,.md,text/plain,text/markdown', 'data-autofocus': true }, type: 'file' });
  const status = h('p', { class: 'muted', role: 'status' });
  const out = h('div', { class: 'plan-import-out' });
  fileF.input.addEventListener('change', async () => {
    const file = fileF.input.files?.[0];
    fileF.error(null);
    out.replaceChildren();
    if (!file) return;
    setText(status, 'plan.import.reading', { name: file.name });
    fileF.input.disabled = true;
    try {
      const res = await postText('/api/plans/import', file);
      await Promise.all([unitsReady, parentsReady]);
      if (!ctx.current()) return;
      proposal = res.proposal;
      stats = res.stats;
      status.textContent = '';
      out.replaceChildren(...review());
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      status.textContent = '';
      const e = importErrorKey(err);
      fileF.error(e.key, e.args);
      fileF.input.disabled = false;
      fileF.input.focus();
    } finally {
      fileF.input.disabled = false;
    }
  });

  // One <select> of units: none, all units, the units, the agencies.
  function unitSelect(value, label, placeholder = 'plan.unit.choose') {
    const sel = h('select', { class: 'unit-select' });
    sel.setAttribute('aria-label', label);
    const unitOpts = units.map((u) => h('option', { value: `u:${u.id}`, vi: u.name }));
    if (value.startsWith('u:') && !units.some((u) => `u:${u.id}` === value))
      unitOpts.push(h('option', { value, text: value }));
    const og1 = h('optgroup', {}, unitOpts);
    og1.label = t('plan.unit.existing');
    const og2 = h('optgroup', {}, AGENCIES.map((a) => h('option', { value: `a:${a}`, i18n: `agency.${a}` })));
    og2.label = t('plan.unit.agencies');
    sel.append(h('option', { value: '', i18n: placeholder }), h('option', { value: 'all', i18n: 'plan.unit.all' }),
      og1, og2);
    sel.value = value;
    return sel;
  }

  function applyValue(u, v) {
    u.all_units = v === 'all';
    u.unit_id = v.startsWith('u:') ? Number(v.slice(2)) : null;
    u.agency = v.startsWith('a:') ? v.slice(2) : (v === 'all' ? 'ALL' : null);
    u.unit_name = u.unit_id ? (units.find((x) => x.id === u.unit_id)?.name ?? null) : null;
    u.changed = true;
  }

  // The chips of one role of a task, and a select that adds a unit.
  function chips(row, role) {
    const box = h('div', { class: 'chips', 'data-role': role });
    const draw = () => {
      const list = row[role];
      const label = t(role === 'lead' ? 'plan.col.lead' : 'plan.col.coordinate');
      box.replaceChildren(...list.map((u, i) => {
        const unmatched = unitValue(u) === '';
        // "Another agency": recognised as a unit, not as which one.
        const other = !unmatched && !u.changed && u.agency === 'OTHER';
        const sel = unitSelect(unitValue(u), t('plan.unit.for', { role: label, n: row.task.number ?? '' }),
          unmatched ? 'plan.unit.unmatched' : 'plan.unit.choose');
        sel.addEventListener('change', () => {
          applyValue(u, sel.value);
          draw();
          summary();
        });
        const rm = h('button', { type: 'button', class: 'chip-remove', text: '×',
          onclick: () => { list.splice(i, 1); draw(); summary(); } });
        rm.setAttribute('aria-label', t('plan.unit.remove', { name: u.phrase ?? '' }));
        return h('div', { class: `chip ${unmatched ? 'unmatched' : ''} ${other ? 'other' : ''} ${u.changed ? 'changed' : ''}`,
          'data-value': unitValue(u), 'data-agency': u.agency ?? '' },
        sel, rm,
        u.phrase ? h('span', { class: 'phrase', title: t('plan.unit.phrase') }, h('q', { text: u.phrase })) : null,
        unmatched ? h('span', { class: 'unmatched-note', i18n: 'plan.unit.unmatched_note' }) : null,
        other ? h('span', { class: 'unmatched-note', i18n: 'plan.unit.other_note' }) : null);
      }));
      const add = unitSelect('', t('plan.unit.add_for', { role: label, n: row.task.number ?? '' }), 'plan.unit.add');
      add.classList.add('add');
      add.addEventListener('change', () => {
        if (!add.value) return;
        const u = { phrase: null };
        applyValue(u, add.value);
        list.push(u);
        draw();
        summary();
      });
      box.append(add);
    };
    draw();
    return box;
  }

  function timingCell(row) {
    const kind = h('select', { class: 'timing-kind' }, h('option', { value: '', i18n: 'plan.timing.unset' }),
      TIMING_KINDS.map((k) => h('option', { value: k, i18n: `plan.timing.kind.${k}` })));
    kind.setAttribute('aria-label', t('plan.timing.kind_for', { n: row.task.number ?? '' }));
    kind.value = row.kind;
    const due = h('input', { type: 'date', class: 'timing-due', value: row.due });
    due.setAttribute('aria-label', t('plan.timing.due_for', { n: row.task.number ?? '' }));
    const from = h('input', { type: 'text', class: 'timing-md', placeholder: 'dd/mm', maxlength: 5, value: fromMd(row.from) });
    from.setAttribute('aria-label', t('plan.timing.from_for', { n: row.task.number ?? '' }));
    const to = h('input', { type: 'text', class: 'timing-md', placeholder: 'dd/mm', maxlength: 5, value: fromMd(row.to) });
    to.setAttribute('aria-label', t('plan.timing.to_for', { n: row.task.number ?? '' }));
    const show = () => {
      due.hidden = kind.value !== 'once';
      from.hidden = to.hidden = kind.value !== 'yearly';
    };
    kind.addEventListener('change', () => { row.kind = kind.value; show(); summary(); });
    due.addEventListener('change', () => { row.due = due.value; });
    from.addEventListener('change', () => { row.from = toMd(from.value) ?? from.value; });
    to.addEventListener('change', () => { row.to = toMd(to.value) ?? to.value; });
    show();
    return h('td', { class: 'timing' }, kind, due, from, to,
      row.task.timing_text ? h('p', { class: 'hint' }, h('q', { text: row.task.timing_text })) : null);
  }

  // Which control of a task's row a server error on a part of it names.
  const TASK_PART_CONTROL = { text: 'textarea', timing: '.timing select',
    lead: '.chips[data-role="lead"] select, .chips[data-role="lead"] button',
    coordinate: '.chips[data-role="coordinate"] select, .chips[data-role="coordinate"] button' };

  // The text of the server's error on task i's part (the field after
  // "tasks[i]."): said in words, as the server's message is English and
  // for programs ("tasks[3].timing: a task done once needs due_on...").
  function taskErrorKey(part, err) {
    const msg = err.message ?? '';
    if (part === 'timing' && /due_on/.test(msg)) return 'plan.error.task_due_on';
    if (part === 'timing' && /yearly/.test(msg)) return 'plan.error.task_yearly';
    if ((part === 'lead' || part === 'coordinate') && /listed twice/.test(msg)) return 'plan.error.task_unit_twice';
    if (part === 'lead' && /at least one/.test(msg)) return 'plan.error.task_no_lead';
    if (part === 'text' && /required|empty/.test(msg)) return 'plan.error.task_text';
    return pick(`plan.error.task_part.${part}`, 'plan.error.task_part.other');
  }

  function taskRow(row) {
    const n = row.task.number ?? '';
    const drop = h('input', { type: 'checkbox', class: 'drop' });
    drop.setAttribute('aria-label', t('plan.import.drop_for', { n }));
    const text = h('textarea', { rows: 3, maxlength: 4000, value: row.text });
    text.setAttribute('aria-label', t('plan.import.text_for', { n }));
    text.addEventListener('input', () => { row.text = text.value; });
    row.err = h('p', { class: 'field-error row-error', role: 'alert', hidden: true });
    const tr = h('tr', { class: 'task', 'data-key': row.task.key, 'data-ref': row.task.ref ?? '' },
      h('td', { class: 'drop-cell' }, drop),
      h('td', { class: 'no', text: n }),
      h('td', { class: 'text' }, text, row.err),
      timingCell(row),
      h('td', {}, chips(row, 'lead')),
      h('td', {}, chips(row, 'coordinate')));
    drop.addEventListener('change', () => {
      row.drop = drop.checked;
      tr.classList.toggle('dropped', drop.checked);
      summary();
    });
    row.tr = tr;
    return tr;
  }

  // --- the review ---
  const sumLine = h('p', { class: 'plan-import-summary' });
  const liveLine = h('p', { class: 'plan-import-live muted', 'aria-live': 'polite' });
  let defaults = null;

  function summary() {
    if (!stats) return;
    setText(sumLine, 'plan.import.summary', { tasks: stats.tasks ?? 0, with_lead: stats.with_lead ?? 0,
      unmatched: stats.unmatched_units ?? 0 });
    const kept = rows.filter((r) => !r.drop);
    const noLead = kept.filter((r) => !r.lead.some((u) => unitValue(u))).length;
    const noTiming = kept.filter((r) => !r.kind).length;
    const units = kept.flatMap((r) => [...r.lead, ...r.coordinate]);
    const unmatched = units.filter((u) => !unitValue(u)).length;
    const other = units.filter((u) => !u.changed && u.agency === 'OTHER').length;
    setText(liveLine, 'plan.import.live', { n: kept.length, dropped: rows.length - kept.length, no_lead: noLead,
      no_timing: noTiming, unmatched, other });
  }

  function review() {
    rows = proposal.tasks.map((task) => ({
      task,
      drop: false,
      text: task.text ?? '',
      kind: task.timing?.kind ?? '',
      due: task.timing?.due_on ?? '',
      from: task.timing?.from ?? '',
      to: task.timing?.to ?? '',
      lead: (task.lead ?? []).map((u) => ({ ...u })),
      coordinate: (task.coordinate ?? []).map((u) => ({ ...u })),
    }));
    const issued = parseDate(proposal.date);
    const year = (issued ?? todayVn()).slice(0, 4);
    const f = {
      number: field({ name: 'number', label: 'plan.field.number', attrs: { value: proposal.number ?? '', maxlength: 100 } }),
      title: field({ name: 'title', label: 'plan.field.title', required: true,
        control: h('textarea', { rows: 2, maxlength: 500, value: proposal.title ?? '' }) }),
      issued_on: field({ name: 'issued_on', label: 'plan.field.issued_on', type: 'date', required: true,
        hint: proposal.date ? (issued ? 'plan.import.date_read' : 'plan.import.date_hint') : null,
        attrs: { value: issued ?? '' } }),
      legal_basis: field({ name: 'legal_basis', label: 'plan.field.legal_basis',
        control: h('textarea', { rows: 2, maxlength: 2000 }) }),
      period_from: field({ name: 'period_from', label: 'plan.field.period_from', type: 'date', required: true,
        attrs: { value: `${year}-01-01` } }),
      period_to: field({ name: 'period_to', label: 'plan.field.period_to', type: 'date', required: true,
        attrs: { value: `${year}-12-31` } }),
      parent_plan_id: field({ name: 'parent_plan_id', label: 'plan.field.parent', control: h('select', {},
        h('option', { value: '', i18n: 'plan.field.parent_none' }),
        parents.map((p) => h('option', { value: String(p.id), text: `${p.number ? `${p.number} — ` : ''}${p.title}` }))) }),
    };
    f.title.el.classList.add('full');
    f.legal_basis.el.classList.add('full');
    const dateHint = f.issued_on.el.querySelector('.hint');
    if (dateHint) setText(dateHint, dateHint.dataset.i18n, { date: proposal.date });

    const own = user.org_unit?.id ? `u:${user.org_unit.id}` : '';
    const defLead = unitSelect(own, t('plan.import.default_lead'));
    const defLeadF = field({ name: 'default_lead', label: 'plan.import.default_lead', control: defLead,
      hint: 'plan.import.default_lead_hint' });
    defLead.removeAttribute('aria-label');
    const defTiming = h('select', {}, ['continuous', 'half_year', 'year'].map((k) =>
      h('option', { value: k, i18n: `plan.timing.kind.${k}` })));
    const defTimingF = field({ name: 'default_timing', label: 'plan.import.default_timing', control: defTiming,
      hint: 'plan.import.default_timing_hint' });
    defaults = { lead: defLead, timing: defTiming };

    // The table: sections as header rows, their tasks after them.
    const cols = ['plan.import.col.drop', 'plan.col.no', 'plan.col.text', 'plan.col.timing', 'plan.col.lead',
      'plan.col.coordinate'];
    const body = [];
    const bySection = new Map();
    for (const r of rows) {
      const k = r.task.section ?? null;
      if (!bySection.has(k)) bySection.set(k, []);
      bySection.get(k).push(r);
    }
    for (const r of bySection.get(null) ?? []) body.push(taskRow(r));
    for (const { s, depth } of orderSections(proposal.sections ?? [], (x) => x.key, (x) => x.parent)) {
      body.push(h('tr', { class: `section depth-${depth}`, 'data-section': s.key },
        h('th', { scope: 'rowgroup', colspan: cols.length, text: `${s.number ? `${s.number}. ` : ''}${s.title ?? ''}` })));
      for (const r of bySection.get(s.key) ?? []) body.push(taskRow(r));
    }
    const table = h('table', { class: 'data plan-import-table' },
      h('caption', { i18n: 'plan.import.caption' }),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, body));

    const alert = alertBox();
    const save = h('button', { type: 'submit', class: 'primary', i18n: 'plan.import.save' });
    const form = h('form', { class: 'plan-import-form', novalidate: true },
      h('section', { class: 'card grid-form', 'aria-labelledby': 'plan-fields-h' },
        h('h2', { id: 'plan-fields-h', class: 'full', i18n: 'plan.import.fields' }),
        f.number.el, f.issued_on.el, f.title.el, f.legal_basis.el, f.period_from.el, f.period_to.el,
        f.parent_plan_id.el, defLeadF.el, defTimingF.el),
      h('section', { class: 'plan-import-review', 'aria-labelledby': 'plan-review-h' },
        h('h2', { id: 'plan-review-h', i18n: 'plan.import.review' }), sumLine, liveLine,
        h('div', { class: 'table-wrap' }, table)),
      alert.el,
      h('div', { class: 'actions' }, save));
    summary();

    const unitBody = (u) => {
      const v = unitValue(u);
      const phrase = u.phrase ? { phrase: u.phrase.slice(0, 500) } : {};
      if (v === 'all') return { all_units: true, ...phrase };
      if (v.startsWith('u:')) return { unit_id: Number(v.slice(2)), ...phrase };
      if (v.startsWith('a:')) return { agency: v.slice(2), ...phrase };
      return null;
    };
    const defaultLead = () => {
      const v = defLead.value;
      if (v === 'all') return { all_units: true };
      if (v.startsWith('u:')) return { unit_id: Number(v.slice(2)) };
      if (v.startsWith('a:')) return { agency: v.slice(2) };
      return null;
    };

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      alert.hide();
      for (const x of Object.values(f)) x.error(null);
      defLeadF.error(null);
      for (const r of rows) { r.err.hidden = true; r.err.textContent = ''; }
      const kept = rows.filter((r) => !r.drop);
      let bad = null;
      for (const k of ['title', 'issued_on', 'period_from', 'period_to'])
        if (!f[k].input.value.trim()) {
          f[k].error(`plan.error.${k}`);
          bad ??= f[k].input;
        }
      if (!kept.length) {
        alert.show('plan.import.error.none_kept');
        return;
      }
      const tasks = [];
      for (const r of kept) {
        let timing;
        const kind = r.kind || defTiming.value;
        if (kind === 'once') timing = { kind, due_on: r.due };
        else if (kind === 'yearly') timing = { kind, from: r.from, to: r.to };
        else timing = { kind };
        const rowBad = (key) => {
          r.err.hidden = false;
          setText(r.err, key);
          bad ??= r.tr.querySelector('select, input, textarea');
        };
        if (kind === 'once' && !r.due) rowBad('plan.error.due_on');
        if (kind === 'yearly' && !(/^\d{2}-\d{2}$/.test(r.from) && /^\d{2}-\d{2}$/.test(r.to))) rowBad('plan.error.yearly');
        if (!r.text.trim()) rowBad('plan.error.text');
        let lead = r.lead.map(unitBody).filter(Boolean);
        if (!lead.length) {
          const d = defaultLead();
          if (!d) {
            defLeadF.error('plan.error.default_lead');
            bad ??= defLead;
          } else lead = [d];
        }
        tasks.push({ section: r.task.section ?? null, number: r.task.number ?? null, text: r.text.trim(),
          expected_output: null, timing, source_task_id: null, lead,
          coordinate: r.coordinate.map(unitBody).filter(Boolean) });
      }
      if (bad) {
        alert.show('plan.error.fix');
        bad.focus();
        return;
      }
      const body = {
        number: f.number.input.value.trim() || null,
        title: f.title.input.value.trim(),
        issued_on: f.issued_on.input.value,
        legal_basis: f.legal_basis.input.value.trim() || null,
        parent_plan_id: f.parent_plan_id.input.value ? Number(f.parent_plan_id.input.value) : null,
        period_from: f.period_from.input.value,
        period_to: f.period_to.input.value,
        sections: (proposal.sections ?? []).map((s) => ({ key: s.key, number: s.number ?? null, title: s.title ?? '',
          parent: s.parent ?? null })),
        tasks,
      };
      save.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        const plan = await post('/api/plans', body);
        if (!ctx.current()) return;
        ctx.go(`/plans/${plan.id}`);
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        const m = /^tasks\[(\d+)\](?:\.(\w+))?/.exec(err.field ?? '');
        if (m && kept[Number(m[1])]) {
          const r = kept[Number(m[1])];
          r.err.hidden = false;
          setText(r.err, taskErrorKey(m[2], err), { n: r.task.number ?? String(Number(m[1]) + 1) });
          alert.show('plan.error.fix');
          r.tr.scrollIntoView({ block: 'center' });
          (r.tr.querySelector(TASK_PART_CONTROL[m[2]] ?? 'textarea') ?? r.tr.querySelector('textarea'))?.focus();
        } else if (f[err.field]) {
          f[err.field].error(`plan.error.${err.field}`);
          f[err.field].input.focus();
        } else alert.show(errorKey(err, 'plan'));
      } finally {
        save.disabled = false;
        form.removeAttribute('aria-busy');
      }
    });
    return [form];
  }

  return h('div', { class: 'plan-import' },
    h('p', { class: 'no-print' }, h('a', { href: '#/plans', i18n: 'plan.back' })),
    h('h1', { i18n: 'plan.import.title' }),
    h('p', { class: 'lead', i18n: 'plan.import.lead' }),
    h('section', { class: 'card plan-import-file', 'aria-labelledby': 'plan-file-h' },
      h('h2', { id: 'plan-file-h', i18n: 'plan.import.step1' }), fileF.el, status),
    out);
}

