// activities.js: the unit's activities (hoạt động): communication,
// training, inspections and peak-period operations, counted in the periodic
// reports. A list (GET /api/activities) and one form that records a new
// activity (POST /api/activities) or, after "Sửa" on a row, edits that one
// in place (POST /api/activities/{id}/edit with its version). The list holds
// the activities of the user's area (a province unit sees its province's,
// national units all), but only the unit that recorded one may change it:
// "Sửa" is on those rows only (the activity's unit_id is the user's unit).
// Errors are shown at their field, in Vietnamese.
import { get, post, withQuery } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { pick, dmy } from '../i18n.js';
import { errorKey } from './errors.js';

import { today } from './cases.js';

export const KINDS = ['communication', 'training', 'inspection', 'operation'];
const FIELDS = ['kind', 'title', 'started_on', 'ended_on', 'participants', 'note'];
const LIMIT = 200;

// The caption of the list: what the user's level sees.
export function captionKey(level) {
  return ['commune', 'province', 'nation'].includes(level) ? `activity.caption.${level}` : 'activity.caption';
}

export function render(ctx) {
  ctx.setTitle('activity.title');
  const unit = ctx.user?.org_unit ?? {};
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true });
  done.tabIndex = -1;
  let editing = null; // the activity being edited, null for a new one

  // --- the form ---
  const f = {
    kind: field({ name: 'kind', label: 'activity.kind', required: true, control: h('select', { 'data-autofocus': true },
      h('option', { value: '', i18n: 'activity.kind.choose' }),
      KINDS.map((k) => h('option', { value: k, i18n: `activity.kind.${k}` }))) }),
    title: field({ name: 'title', label: 'activity.field.title', required: true, attrs: { maxlength: 300 } }),
    started_on: field({ name: 'started_on', label: 'activity.started_on', type: 'date', required: true,
      attrs: { value: today() } }),
    ended_on: field({ name: 'ended_on', label: 'activity.ended_on', type: 'date', required: true,
      attrs: { value: today() } }),
    participants: field({ name: 'participants', label: 'activity.participants', type: 'number',
      hint: 'activity.participants.hint', attrs: { min: 0, step: 1, value: '0', class: 'short' } }),
    note: field({ name: 'note', label: 'activity.note', control: h('textarea', { rows: 2, maxlength: 2000 }) }),
  };
  const heading = h('h2', { id: 'act-form-h', i18n: 'activity.new' });
  const submit = h('button', { type: 'submit', class: 'primary', i18n: 'activity.save' });
  const cancel = h('button', { type: 'button', class: 'secondary', i18n: 'activity.cancel', hidden: true });
  const form = h('form', { class: 'card grid-form activity-form', novalidate: true, 'aria-labelledby': 'act-form-h' },
    heading, alert.el, f.kind.el, f.title.el, f.started_on.el, f.ended_on.el, f.participants.el, f.note.el,
    h('div', { class: 'actions' }, submit, cancel));
  heading.classList.add('full');
  f.note.el.classList.add('full');

  function clearErrors() {
    alert.hide();
    for (const x of Object.values(f)) x.error(null);
  }

  function reset() {
    editing = null;
    clearErrors();
    setText(heading, 'activity.new');
    setText(submit, 'activity.save');
    cancel.hidden = true;
    f.kind.input.value = '';
    f.title.input.value = '';
    f.started_on.input.value = today();
    f.ended_on.input.value = today();
    f.participants.input.value = '0';
    f.note.input.value = '';
  }

  function edit(a) {
    reset();
    editing = a;
    setText(heading, 'activity.edit_title', { title: a.title });
    setText(submit, 'activity.save_edit');
    cancel.hidden = false;
    f.kind.input.value = a.kind;
    f.title.input.value = a.title ?? '';
    f.started_on.input.value = a.started_on ?? '';
    f.ended_on.input.value = a.ended_on ?? '';
    f.participants.input.value = String(a.participants ?? 0);
    f.note.input.value = a.note ?? '';
    form.scrollIntoView({ block: 'start' });
    f.title.input.focus();
  }
  cancel.addEventListener('click', reset);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    done.hidden = true;
    // Said here, before sending: the fields anyone can see are empty.
    let bad = null;
    for (const k of ['kind', 'title', 'started_on', 'ended_on'])
      if (!f[k].input.value.trim()) {
        f[k].error(`activity.error.${k}`);
        bad ??= f[k].input;
      }
    const n = f.participants.input.value.trim();
    if (n !== '' && !/^\d+$/.test(n)) {
      f.participants.error('activity.error.participants');
      bad ??= f.participants.input;
    }
    if (bad) {
      bad.focus();
      return;
    }
    const body = { kind: f.kind.input.value, title: f.title.input.value.trim(),
      started_on: f.started_on.input.value, ended_on: f.ended_on.input.value,
      participants: n === '' ? 0 : Number(n), note: f.note.input.value.trim() || null };
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const wasEdit = Boolean(editing);
      if (editing) await post(`/api/activities/${editing.id}/edit`, { ...body, version: editing.version });
      else await post('/api/activities', body);
      if (!ctx.current()) return;
      reset();
      done.hidden = false;
      setText(done, wasEdit ? 'activity.saved_edit' : 'activity.saved');
      await load();
      done.focus();
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      const x = f[err.field];
      if (x && FIELDS.includes(err.field)) {
        x.error(pick(`activity.error.${err.field}`, errorKey(err, 'activity')));
        x.input.focus();
      } else alert.show(errorKey(err, 'activity'));
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  // --- the list ---
  const kindSel = h('select', { id: 'act-kind-filter' }, h('option', { value: '', i18n: 'activity.filter.all' }),
    KINDS.map((k) => h('option', { value: k, i18n: `activity.kind.${k}` })));
  const cols = ['activity.col.dates', 'activity.col.kind', 'activity.col.title', 'activity.col.participants',
    'activity.col.unit', 'activity.col.edit'];
  const tbody = h('tbody');
  const table = h('table', { class: 'data activities' }, h('caption', { i18n: captionKey(unit.level) }),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))), tbody);
  const listAlert = alertBox();

  let seq = 0;
  async function load() {
    const mine = ++seq;
    table.setAttribute('aria-busy', 'true');
    listAlert.hide();
    try {
      const res = await get(withQuery('/api/activities', { kind: kindSel.value, limit: LIMIT }));
      if (!ctx.current() || mine !== seq) return;
      const items = res.items ?? [];
      tbody.replaceChildren(...(items.length ? items.map((a) => h('tr', { 'data-id': String(a.id), 'data-kind': a.kind },
        h('td', { class: 'nowrap', text: a.started_on === a.ended_on ? dmy(a.started_on)
          : `${dmy(a.started_on)} – ${dmy(a.ended_on)}` }),
        h('td', { i18n: `activity.kind.${a.kind}` }),
        h('th', { scope: 'row' }, h('span', { class: 'title', vi: a.title }),
          a.note ? h('p', { class: 'hint', vi: a.note }) : null),
        h('td', { class: 'num', text: String(a.participants ?? 0) }),
        h('td', { vi: a.unit_name ?? '' }),
        h('td', { class: 'row-actions' }, a.unit_id === unit.id && unit.id !== undefined
          ? h('button', { type: 'button', class: 'small', i18n: 'activity.edit', onclick: () => edit(a),
            attrs: { 'aria-label': ['activity.edit_label', { title: a.title }] } })
          : null)))
        : [h('tr', {}, h('td', { colspan: cols.length, i18n: 'activity.empty' }))]));
    } catch (err) {
      if (!ctx.current() || mine !== seq || err.handled) return;
      tbody.replaceChildren();
      listAlert.show(errorKey(err, 'activity'));
    } finally {
      if (mine === seq) table.removeAttribute('aria-busy');
    }
  }
  kindSel.addEventListener('change', load);
  load();

  return h('div', { class: 'activities-page' },
    h('h1', { i18n: 'activity.title' }),
    h('p', { class: 'lead', i18n: 'activity.lead' }),
    done,
    form,
    h('section', { class: 'activity-list', 'aria-labelledby': 'act-list-h' },
      h('h2', { id: 'act-list-h', i18n: 'activity.list' }),
      h('p', { class: 'hint', i18n: 'activity.edit_own' }),
      h('div', { class: 'field inline' }, h('label', { for: 'act-kind-filter', i18n: 'activity.filter' }), kindSel),
      listAlert.el,
      h('div', { class: 'table-wrap' }, table)));
}
