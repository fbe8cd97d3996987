// case-detail.js: one criminal case (GET /api/cases/{id}): its facts, the
// Art. 150/151 warnings, the history of its stages, offenders, victims (by
// pseudonym: their identity is the person record's) and intakes; and the
// forms of what the user may do, each sending the case's version: move the
// stage (only the steps the server lists in "next"), edit, add an offender,
// link a victim or an intake. A refused step (409 transition_refused) or a stale
// version (409 conflict) is said in words.
import { get, post } from '../api.js';
import { h, field, alertBox, setText, viText } from '../dom.js';
import { pick, t, dmy } from '../i18n.js';
import { errorKey, showConflict } from './errors.js';
import { actionForm as sharedActionForm } from './action-form.js';
import { ARTICLES, stageBadge, today } from './cases.js';

const ROLES = ['organiser', 'recruiter', 'broker', 'transporter', 'buyer', 'other'];
const SEXES = ['U', 'F', 'M'];

export function render(ctx) {
  const id = ctx.args.id;
  ctx.setTitle('case.detail.title', { id: String(id) });
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true });
  done.tabIndex = -1;
  const heading = h('h1', { i18n: 'case.detail.title', args: { id: String(id) } });
  const facts = h('dl', { class: 'facts' });
  const warnings = h('div', { class: 'case-warnings' });
  const history = h('div', { class: 'table-wrap' });
  const offenders = h('div', { class: 'table-wrap' });
  const victims = h('div', { class: 'table-wrap' });
  const intakes = h('div');
  const actions = h('div', { class: 'detail-actions' });
  let kase = null;

  const dash = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));
  function fact(key, value) {
    if (value === null || value === undefined) return [];
    return [h('dt', { i18n: key }), h('dd', {}, value)];
  }

  function showFacts(c) {
    facts.replaceChildren(
      ...fact('case.field.case_number', h('span', { class: 'mono', text: dash(c.case_number) })),
      ...fact('case.field.article', h('span', { i18n: c.article ? `case.article.${c.article}` : 'case.article.none' })),
      ...fact('case.field.stage', h('span', {}, stageBadge(c.stage), c.stage_on ? ` ${t('case.since', { on: dmy(c.stage_on) })}` : '',
        c.suspended_from ? [' ', h('span', { class: 'muted', i18n: 'case.suspended_from',
          args: { stage: t(`case.stage.${c.suspended_from}`) } })] : null)),
      ...fact('case.field.title', c.title !== null ? h('span', { vi: c.title })
        : h('span', { class: 'muted', i18n: 'case.hidden' })),
      ...fact('case.field.owner', h('span', { vi: c.owner_unit?.name ?? String(c.owner_unit_id) })),
      ...fact('case.field.dates', h('ul', { class: 'plain case-dates' },
        ['initiated', 'investigated', 'solved', 'indicted', 'tried', 'verdict'].filter((s) => c[`${s}_on`])
          .map((s) => h('li', {}, h('span', { i18n: `case.stage.${s}` }), `: ${dmy(c[`${s}_on`])}`)))));
    warnings.replaceChildren(...c.warnings.map((w) => {
      const v = c.victims.find((x) => x.person_id === w.person_id);
      return h('p', { class: 'alert warning', role: 'note', 'data-code': w.code, i18n: `case.warning.${w.code}`,
        args: { who: v?.pseudonym ?? '', age: dash(w.age) } });
    }));
  }

  // A table of the case, its caption the title of its section
  // (case.<list>.title; hidden: the section's heading shows it).
  function table(cls, cols, rows, empty) {
    return h('table', { class: `data ${cls}` },
      h('caption', { class: 'visually-hidden', i18n: empty.replace(/\.empty$/, '.title') }),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: cols.length, i18n: empty }))));
  }

  function showLists(c) {
    history.replaceChildren(table('case-history', ['case.col.from', 'case.col.to', 'case.col.on', 'case.col.by',
      'case.col.note'], c.stages.map((s) => h('tr', {},
      h('td', {}, stageBadge(s.from)), h('td', {}, stageBadge(s.to)),
      h('td', { class: 'nowrap', text: dmy(s.on) }), h('td', { text: dash(s.by) }),
      h('td', { vi: s.note ?? '' }))), 'case.history.empty'));
    offenders.replaceChildren(table('case-offenders', ['case.col.role', 'case.col.name', 'case.col.citizen_id',
      'case.col.sex', 'case.col.birth_year', 'case.col.nationality'], c.offenders.map((o) => h('tr', {},
      h('td', { i18n: `case.role.${o.role}` }),
      h('td', {}, o.name ? viText(o.name) : h('span', { class: 'muted', i18n: c.view === 'identity' ? 'case.unnamed' : 'case.hidden' })),
      h('td', { class: 'mono', text: dash(o.citizen_id) }),
      h('td', { i18n: `case.sex.${o.sex}` }),
      h('td', { text: dash(o.birth_year) }),
      h('td', { class: 'mono', text: dash(o.nationality) }))), 'case.offenders.empty'));
    victims.replaceChildren(table('case-victims', ['case.col.person', 'case.col.sex', 'case.col.birth_year',
      'case.col.age'], c.victims.map((v) => h('tr', { 'data-person': String(v.person_id) },
      h('td', {}, h('a', { href: `#/persons/${v.person_id}`, class: 'mono pseudonym', text: v.pseudonym })),
      h('td', { i18n: `case.sex.${v.sex}` }),
      h('td', { text: dash(v.birth_year) }),
      h('td', {}, v.age_max === null ? h('span', { class: 'muted', i18n: 'case.age.unknown' })
        : h('span', { i18n: v.age_min === v.age_max ? 'case.age.exact' : 'case.age.range',
          args: { min: String(v.age_min), max: String(v.age_max), on: dmy(v.age_on) } })))), 'case.victims.empty'));
    intakes.replaceChildren(c.intake_ids.length
      ? h('ul', { class: 'plain' }, c.intake_ids.map((i) => h('li', {},
        h('a', { href: `#/intakes/${i}`, i18n: 'case.intake', args: { id: String(i) } }))))
      : h('p', { class: 'muted', i18n: 'case.intakes.empty' }));
  }

  // A small form (see action-form.js): fields { name: field() }, body() ->
  // request body or null, path: where to POST; ok: the message key after success.
  function actionForm({ key, fields, extra = [], body, path, ok }) {
    return sharedActionForm({ className: `card action case-${key}`, headingId: `case-${key}-h`,
      title: `case.${key}.title`, submitKey: `case.${key}.submit`, fields, extra, body, ok, ctx, load,
      send: (b) => post(`/api/cases/${id}/${path}`, { ...b, version: kase.version }),
      explain: (err, b, formAlert) => {
        const f = fields[err.field];
        if (err.code === 'transition_refused')
          formAlert.show('case.error.transition_refused', { from: t(`case.stage.${kase.stage}`),
            to: t(`case.to.${b.to}`) });
        else if (showConflict(err, { alert: formAlert, fields, stale: 'case.error.conflict' })) return;
        else if (f) {
          f.error(pick(`case.${key}.error.${err.field}_${err.code}`, `case.${key}.error.${err.field}`,
            `case.error.${err.code}`, errorKey(err, 'case')));
          f.input.focus();
        } else formAlert.show(errorKey(err, 'case'));
      } });
  }

  const text = (f) => f.input.value.trim().normalize('NFC');

  function stageForm(c) {
    const to = field({ name: 'to', label: 'case.stage_form.to', required: true,
      control: h('select', {}, c.next.map((n) => h('option', { value: n, i18n: `case.to.${n}` }))) });
    const on = field({ name: 'on', label: 'case.stage_form.on', type: 'date', required: true,
      attrs: { value: today(), max: today() } });
    const number = field({ name: 'case_number', label: 'case.field.case_number', hint: 'case.field.case_number_hint',
      attrs: { maxlength: 40, autocomplete: 'off' } });
    const article = field({ name: 'article', label: 'case.field.article',
      control: h('select', {}, ARTICLES.map((a) => h('option', { value: a, i18n: `case.article.${a}` }))) });
    article.input.value = c.article ?? '150';
    const note = field({ name: 'note', label: 'case.stage_form.note', hint: 'case.stage_form.note_hint',
      control: h('textarea', { rows: 2, maxlength: 2000 }) });
    const sync = () => {
      const initiate = to.input.value === 'initiated';
      number.el.hidden = !initiate;
      article.el.hidden = !initiate;
    };
    to.input.addEventListener('change', sync);
    sync();
    return actionForm({ key: 'stage_form', fields: { to, on, case_number: number, article, note },
      body: () => {
        const b = { to: to.input.value, on: on.input.value, note: text(note) || null };
        if (!b.on) {
          on.error('case.stage_form.error.on');
          on.input.focus();
          return null;
        }
        if ((b.to === 'suspended' || b.to === 'closed') && !b.note) {
          note.error('case.stage_form.error.note');
          note.input.focus();
          return null;
        }
        if (b.to === 'initiated') {
          b.case_number = text(number);
          b.article = article.input.value;
          if (!b.case_number) {
            number.error('case.stage_form.error.case_number');
            number.input.focus();
            return null;
          }
        }
        return b;
      },
      path: 'stage', ok: 'case.stage_form.done' });
  }

  function editForm(c) {
    const title = field({ name: 'title', label: 'case.field.title', attrs: { maxlength: 500, autocomplete: 'off' } });
    title.input.value = c.title ?? '';
    const article = field({ name: 'article', label: 'case.field.article',
      control: h('select', {}, ARTICLES.map((a) => h('option', { value: a, i18n: `case.article.${a}` }))) });
    article.input.value = c.article ?? 'other';
    const fields = { title, article };
    let number = null;
    if (c.initiated_on) {
      number = field({ name: 'case_number', label: 'case.field.case_number', attrs: { maxlength: 40 } });
      number.input.value = c.case_number ?? '';
      fields.case_number = number;
    }
    return actionForm({ key: 'edit', fields,
      body: () => {
        if (!text(title)) {
          title.error('case.error.title_required');
          title.input.focus();
          return null;
        }
        const b = { title: text(title), article: article.input.value };
        if (number) b.case_number = text(number);
        return b;
      },
      path: 'edit', ok: 'case.edit.done' });
  }

  function offenderForm() {
    const role = field({ name: 'role', label: 'case.col.role', required: true,
      control: h('select', {}, ROLES.map((r) => h('option', { value: r, i18n: `case.role.${r}` }))) });
    const name = field({ name: 'name', label: 'case.col.name', attrs: { maxlength: 200, autocomplete: 'off' } });
    const cid = field({ name: 'citizen_id', label: 'case.col.citizen_id', hint: 'case.offender.citizen_id_hint',
      attrs: { maxlength: 12, inputmode: 'numeric', autocomplete: 'off' } });
    const sex = field({ name: 'sex', label: 'case.col.sex',
      control: h('select', {}, SEXES.map((s) => h('option', { value: s, i18n: `case.sex.${s}` }))) });
    const year = field({ name: 'birth_year', label: 'case.col.birth_year', type: 'number',
      attrs: { min: 1900, max: Number(today().slice(0, 4)) } });
    const nat = field({ name: 'nationality', label: 'case.col.nationality', hint: 'case.offender.nationality_hint',
      attrs: { maxlength: 2, autocomplete: 'off', size: 3 } });
    return actionForm({ key: 'offender', fields: { role, name, citizen_id: cid, sex, birth_year: year, nationality: nat },
      body: () => {
        const y = year.input.value.trim();
        if (y && !/^\d{4}$/.test(y)) {
          year.error('case.offender.error.birth_year');
          year.input.focus();
          return null;
        }
        return { role: role.input.value, name: text(name) || null, citizen_id: text(cid) || null,
          sex: sex.input.value, birth_year: y ? Number(y) : null,
          nationality: text(nat).toUpperCase() || null };
      },
      path: 'offenders', ok: 'case.offender.done' });
  }

  function victimForm() {
    const person = field({ name: 'person_id', label: 'case.victim.person_id', required: true,
      hint: 'case.victim.person_id_hint', attrs: { inputmode: 'numeric', autocomplete: 'off', size: 8, maxlength: 20 } });
    const reason = field({ name: 'reason', label: 'case.victim.reason', hint: 'case.victim.reason_hint',
      attrs: { maxlength: 500, autocomplete: 'off' } });
    return actionForm({ key: 'victim', fields: { person_id: person, reason },
      body: () => {
        const v = text(person);
        if (!/^[1-9]\d{0,15}$/.test(v)) {
          person.error('case.victim.error.person_id');
          person.input.focus();
          return null;
        }
        return { person_id: Number(v), reason: text(reason) || null };
      },
      path: 'victims', ok: 'case.victim.done' });
  }

  function intakeForm() {
    const intake = field({ name: 'intake_id', label: 'case.intake_form.intake_id', required: true,
      attrs: { inputmode: 'numeric', autocomplete: 'off', size: 8, maxlength: 20 } });
    return actionForm({ key: 'intake_form', fields: { intake_id: intake },
      body: () => {
        const v = text(intake);
        if (!/^[1-9]\d{0,15}$/.test(v)) {
          intake.error('case.intake_form.error.intake_id');
          intake.input.focus();
          return null;
        }
        return { intake_id: Number(v) };
      },
      path: 'intakes', ok: 'case.intake_form.done' });
  }

  function showActions(c) {
    actions.replaceChildren(...[
      c.next.length ? stageForm(c) : null,
      c.may.investigate ? offenderForm() : null,
      c.may.investigate ? victimForm() : null,
      c.may.investigate ? intakeForm() : null,
      c.may.investigate ? editForm(c) : null].filter(Boolean));
  }

  async function load(message) {
    alert.hide();
    try {
      const c = await get(`/api/cases/${id}`);
      if (!ctx.current()) return;
      kase = c;
      showFacts(c);
      showLists(c);
      showActions(c);
      if (message) {
        setText(done, message, { id: String(id) });
        done.hidden = false;
        done.focus();
      } else done.hidden = true;
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      facts.replaceChildren();
      actions.replaceChildren();
      alert.show(errorKey(err, 'case'));
    }
  }
  facts.append(h('dd', { i18n: 'loading' }));
  load();

  const section = (key, body) => h('section', { class: 'card', 'aria-labelledby': `case-${key}-sec` },
    h('h2', { id: `case-${key}-sec`, i18n: `case.${key}.title` }), body);
  return h('div', { class: 'case-detail' },
    h('div', { class: 'title-row' }, heading, h('a', { href: '#/cases', class: 'button-link', i18n: 'case.back' })),
    done,
    alert.el,
    warnings,
    h('section', { class: 'card', 'aria-labelledby': 'case-facts-h' },
      h('h2', { id: 'case-facts-h', i18n: 'case.facts' }), facts),
    section('history', history),
    section('offenders', offenders),
    section('victims', victims),
    section('intakes', intakes),
    actions);
}
