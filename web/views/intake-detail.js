// intake-detail.js: one intake (GET /api/intakes/{id}) and what the user may
// do with it, each a small form sending the intake's version: classify,
// extend the legal clock and decide (investigators, tips only), resolve
// (non-tips), refer to another unit (POST /api/referrals); open a
// criminal-case lead from a tip (investigators, POST /api/intakes/{id}/case,
// no version; another if a unit needs its own); register the person the
// intake is about (a link to person-new.js, #/persons/new?intake=ID). After
// an action the intake is loaded again and a success message said; a
// server error is shown next to its field; a 409 is a stale version
// (someone else changed the intake meanwhile) or a rule of the intake's
// state, said in words (errors.js).
// The persons and criminal cases opened from the intake are linked.
import { get, post } from '../api.js';
import { h, field, alertBox, setText, time } from '../dom.js';
import { has, pick } from '../i18n.js';
import { errorKey, showConflict } from './errors.js';
import { actionForm as sharedActionForm } from './action-form.js';
import { PURPOSES, URGENCIES, CLASSIFICATIONS } from './intake-codes.js';
import { ARTICLES } from './cases.js';
import { placeText } from '../ref.js';

// Notes and resolutions: at most 2,000 characters (src/core/intake.c,
// CTIP_NOTE_MAX of referrals).
const NOTE_MAX = 2000;

const HANDLERS = ['hotline_operator', 'case_worker', 'investigator'];
const DECISIONS = ['initiate', 'not_initiate', 'suspend'];
const EXTENSIONS = ['complex', 'procuracy'];
// Who may open a criminal case's page (app.js); others see its number only.
const CASE_ROLES = ['investigator', 'procurator', 'judge', 'supervisor'];

const coded = (prefix, code) => (code && has(`${prefix}.${code}`)
  ? h('span', { i18n: `${prefix}.${code}` })
  : h('span', { class: 'mono', text: code ?? '' }));

function purposeSelect() {
  return h('select', {},
    h('option', { value: '', i18n: 'intake.purpose_none' }),
    PURPOSES.map(([top, subs]) => (subs.length
      ? h('optgroup', { attrs: { label: `purpose.${top}` } },
        h('option', { value: top, i18n: `purpose.${top}` }),
        subs.map((s) => h('option', { value: s, i18n: `purpose.${s}` })))
      : h('option', { value: top, i18n: `purpose.${top}` }))));
}

// The legal clock, with the state in words (not by colour only).
function legalClock(legal) {
  if (!legal) return h('span', { class: 'muted', i18n: 'intakes.no_deadline' });
  const state = legal.decision ? 'decided' : legal.overdue ? 'overdue' : legal.due_soon ? 'soon' : null;
  return h('span', { class: `deadline${state ? ` ${state}` : ''}` },
    time(legal.deadline),
    state ? [' ', h('span', { class: `badge due-${state}`, i18n: `detail.due.${state}` })] : null,
    legal.extension && legal.extension !== 'none'
      ? [' ', h('span', { class: 'muted', i18n: `intakes.extension.${legal.extension}` })] : null,
    legal.decision ? [' ', h('span', { i18n: `detail.decision.${legal.decision}` }),
      legal.decided_at ? [' (', time(legal.decided_at), ')'] : null] : null);
}

export function render(ctx) {
  const id = ctx.args.id;
  ctx.setTitle('detail.title', { id: String(id) });
  const roles = ctx.user?.roles ?? [];
  const handler = HANDLERS.some((r) => roles.includes(r));
  const investigator = roles.includes('investigator');
  const caseReader = CASE_ROLES.some((r) => roles.includes(r));
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true });
  const facts = h('dl', { class: 'facts' });
  const actions = h('div', { class: 'detail-actions' });
  const heading = h('h1', { i18n: 'detail.title', args: { id: String(id) } });
  let intake = null;
  let units = null; // GET /api/units, once

  function fact(key, value) {
    if (value === null || value === undefined || value === false) return [];
    return [h('dt', { i18n: key }), h('dd', {}, value)];
  }

  function showFacts(i) {
    const rep = i.reporter;
    const reporter = rep == null ? null : rep.anonymous ? h('span', { i18n: 'detail.anonymous' })
      : [rep.name ?? '', rep.name && rep.phone ? ' · ' : '', rep.phone ? h('span', { class: 'mono', text: rep.phone }) : ''];
    const list = (xs) => (xs?.length ? h('ul', { class: 'plain' }, xs.map((x) => h('li', { text: x }))) : null);
    facts.replaceChildren(
      ...fact('intake.channel', coded('channel', i.channel)),
      ...fact('intake.received_at', time(i.received_at)),
      ...fact('intake.urgency', h('span', { class: i.urgency === 'high' || i.urgency === 'critical'
        ? `badge urg-${i.urgency}` : null, i18n: `intake.urgency.${i.urgency}` })),
      ...fact('intake.classification', i.classification ? coded('intake.classification', i.classification)
        : h('span', { class: 'muted', i18n: 'intake.classification_none' })),
      ...fact('intake.purpose', i.purpose ? coded('purpose', i.purpose) : null),
      ...fact('intakes.col.status', coded('intakes.status', i.status)),
      ...fact('detail.place', i.province || i.commune ? placeText(i.province, i.commune) : null),
      ...fact('intake.reporter', reporter),
      ...fact('intake.summary', i.summary != null ? h('p', { class: 'summary', vi: i.summary }) : null),
      ...fact('intake.mentioned_phones', list(i.mentioned_phones)),
      ...fact('intake.mentioned_names', list(i.mentioned_names)),
      ...fact('detail.legal', legalClock(i.legal)),
      ...fact('detail.resolution', i.resolution ? h('p', { class: 'summary', text: i.resolution }) : null),
      ...fact('detail.persons', i.person_ids?.length
        ? h('ul', { class: 'plain' }, i.person_ids.map((p) => h('li', {},
          h('a', { href: `#/persons/${p}`, i18n: 'detail.person', args: { id: String(p) } }))))
        : null),
      ...fact('detail.cases', i.case_ids?.length
        ? h('ul', { class: 'plain' }, i.case_ids.map((c) => h('li', {},
          h(caseReader ? 'a' : 'span', { href: caseReader ? `#/cases/${c}` : null, i18n: 'case.detail.title',
            args: { id: String(c) } }))))
        : null));
  }

  // A small form (see action-form.js): fields { name: field() }, body() ->
  // the request body or null (a client-side error was shown), send(body) -> the promise.
  function actionForm({ key, fields, extra = [], body, send, ok }) {
    return sharedActionForm({ className: `card action action-${key}`, headingId: `act-${key}-h`,
      title: `detail.${key}.title`, submitKey: `detail.${key}.submit`, fields, extra, body, send, ok, ctx, load,
      explain: (err, b, formAlert) => {
        const f = fields[err.field];
        if (showConflict(err, { alert: formAlert, fields, stale: 'detail.error.conflict' })) return;
        if (f) {
          f.error(pick(`detail.${key}.error.${err.field}`, `detail.error.${err.code}`, errorKey(err, 'detail')));
          f.input.focus();
        } else formAlert.show(pick(`detail.${key}.error.${err.code}`, errorKey(err, 'detail')));
      } });
  }

  const url = (what) => `/api/intakes/${id}/${what}`;

  function classifyForm(i) {
    const cls = field({ name: 'classification', label: 'intake.classification', required: true,
      control: h('select', {}, CLASSIFICATIONS.map((c) => h('option', { value: c, i18n: `intake.classification.${c}` }))) });
    const pur = field({ name: 'purpose', label: 'intake.purpose', control: purposeSelect() });
    const urg = field({ name: 'urgency', label: 'intake.urgency',
      control: h('select', {}, URGENCIES.map((u) => h('option', { value: u, i18n: `intake.urgency.${u}` }))) });
    cls.input.value = i.classification ?? 'trafficking_tip';
    pur.input.value = i.purpose ?? '';
    urg.input.value = i.urgency;
    return actionForm({ key: 'classify', fields: { classification: cls, purpose: pur, urgency: urg },
      body: () => ({ classification: cls.input.value, purpose: pur.input.value || null, urgency: urg.input.value,
        version: intake.version }),
      send: (b) => post(url('classify'), b), ok: 'detail.classify.done' });
  }

  function extendForm() {
    const kind = field({ name: 'kind', label: 'detail.extend.kind',
      control: h('select', {}, EXTENSIONS.map((k) => h('option', { value: k, i18n: `detail.extend.${k}` }))) });
    return actionForm({ key: 'extend', fields: { kind },
      body: () => ({ kind: kind.input.value, version: intake.version }),
      send: (b) => post(url('extend'), b), ok: 'detail.extend.done' });
  }

  function decideForm() {
    const decision = field({ name: 'decision', label: 'detail.decide.decision',
      control: h('select', {}, DECISIONS.map((d) => h('option', { value: d, i18n: `detail.decision.${d}` }))) });
    const note = field({ name: 'note', label: 'detail.decide.note', hint: 'detail.decide.note_hint',
      control: h('textarea', { rows: 2, maxlength: NOTE_MAX }) });
    return actionForm({ key: 'decide', fields: { decision, note },
      body: () => {
        const text = note.input.value.trim().normalize('NFC');
        // Not initiating and suspending state their ground (CPC Art. 148, 157).
        if (!text && decision.input.value !== 'initiate') {
          note.error('detail.decide.error.ground');
          note.input.focus();
          return null;
        }
        return { decision: decision.input.value, note: text || null, version: intake.version };
      },
      send: (b) => post(url('decide'), b), ok: 'detail.decide.done' });
  }

  function resolveForm() {
    const resolution = field({ name: 'resolution', label: 'detail.resolve.resolution', required: true,
      control: h('textarea', { rows: 2, maxlength: NOTE_MAX }) });
    return actionForm({ key: 'resolve', fields: { resolution },
      body: () => {
        const text = resolution.input.value.trim().normalize('NFC');
        if (!text) {
          resolution.error('detail.resolve.error.required');
          resolution.input.focus();
          return null;
        }
        return { resolution: text, version: intake.version };
      },
      send: (b) => post(url('resolve'), b), ok: 'detail.resolve.done' });
  }

  function referForm(i) {
    // The units of the intake's province first, then the others (nation-wide).
    const mine = ctx.user?.org_unit?.id;
    const list = (units ?? []).filter((u) => u.id !== mine);
    const here = list.filter((u) => u.province_code === i.province);
    const other = list.filter((u) => u.province_code !== i.province);
    const opt = (u) => h('option', { value: String(u.id), vi: u.name });
    const sel = h('select', {},
      h('option', { value: '', i18n: 'detail.refer.choose' }),
      here.length ? h('optgroup', { attrs: { label: 'detail.refer.group_here' } }, here.map(opt)) : null,
      other.length ? h('optgroup', { attrs: { label: 'detail.refer.group_other' } }, other.map(opt)) : null);
    const to = field({ name: 'to_unit_id', label: 'detail.refer.to_unit', required: true, control: sel });
    const note = field({ name: 'note', label: 'detail.refer.note', control: h('textarea', { rows: 2, maxlength: NOTE_MAX }) });
    return actionForm({ key: 'refer', fields: { to_unit_id: to, note },
      body: () => {
        if (!sel.value) {
          to.error('detail.refer.error.to_unit_id');
          sel.focus();
          return null;
        }
        return { object_type: 'intake', object_id: id, to_unit_id: Number(sel.value),
          note: note.input.value.trim().normalize('NFC') || null };
      },
      send: (b) => post('/api/referrals', b), ok: 'detail.refer.done' });
  }

  // Open a criminal-case lead from a tip: the article if known, and the
  // title the server asks for (the case list and page show it).
  function caseForm() {
    const article = field({ name: 'article', label: 'case.field.article',
      control: h('select', {}, h('option', { value: '', i18n: 'case.article.none' }),
        ARTICLES.map((a) => h('option', { value: a, i18n: `case.article.${a}` }))) });
    const title = field({ name: 'title', label: 'case.field.title', required: true, hint: 'case.field.title_hint',
      attrs: { maxlength: 500, autocomplete: 'off' } });
    return actionForm({ key: 'case', fields: { article, title },
      body: () => {
        const text = title.input.value.trim().normalize('NFC');
        if (!text) {
          title.error('detail.case.error.title');
          title.input.focus();
          return null;
        }
        return { article: article.input.value || null, title: text };
      },
      send: (b) => post(url('case'), b), ok: 'detail.case.done' });
  }

  // Registering the person the intake is about is a page of its own (the
  // whole person form, see person-new.js): a card with the link to it.
  function registerCard() {
    return h('section', { class: 'card action action-register', 'aria-labelledby': 'act-register-h' },
      h('h2', { id: 'act-register-h', i18n: 'detail.register.title' }),
      h('p', { class: 'hint', i18n: 'detail.register.hint' }),
      h('div', { class: 'actions' },
        h('a', { href: `#/persons/new?intake=${id}`, class: 'button-link', i18n: 'detail.register.link' })));
  }

  function showActions(i) {
    const owner = i.owner_unit_id === ctx.user?.org_unit?.id;
    // A unit the intake was referred to handles it too: the server shows
    // it the identity (the reporter), and lets it register the person and
    // open a case; classifying, deciding and referring stay the owner's.
    const handles = handler && (owner || i.reporter !== null);
    if (!handles) {
      actions.replaceChildren();
      return;
    }
    const open = i.status !== 'resolved';
    const tip = Boolean(i.legal);
    const undecided = tip && !i.legal.decision;
    // Classified first: the programme counts every intake received and
    // classified, and the server refuses to end an unclassified one.
    const classified = Boolean(i.classification);
    // The national hotline refers: it registers no person and takes no
    // procedural step (the province's investigation body does).
    const local = ctx.user?.org_unit?.level !== 'nation';
    const decides = local && investigator;
    const ends = owner && open && ((decides && undecided) || !tip);
    actions.replaceChildren(...[
      // One resolved before classifying came first may still be classified.
      owner && (open || !classified) ? classifyForm(i) : null,
      owner && decides && undecided ? extendForm() : null,
      owner && decides && undecided && classified ? decideForm() : null,
      owner && open && !tip && classified ? resolveForm() : null,
      // In place of the decide or resolve form, a card saying why not yet.
      ends && !classified ? h('section', { class: 'card action', 'aria-labelledby': 'act-first-h' },
        h('h2', { id: 'act-first-h', i18n: tip ? 'detail.decide.title' : 'detail.resolve.title' }),
        h('p', { class: 'muted', 'data-hint': 'classify-first',
          i18n: tip ? 'detail.classify.first_tip' : 'detail.classify.first' })) : null,
      // A tip with the legal clock, or any intake classified as one.
      decides && (tip || i.classification === 'trafficking_tip') ? caseForm() : null,
      local ? registerCard() : null,
      owner ? referForm(i) : null].filter(Boolean));
  }

  async function load(message) {
    alert.hide();
    try {
      const [i, u] = await Promise.all([get(`/api/intakes/${id}`),
        units || !handler ? units : get('/api/units').then((r) => r.items ?? [], () => [])]);
      if (!ctx.current()) return;
      intake = i;
      units = u;
      showFacts(i);
      showActions(i);
      if (message) {
        setText(done, message, { id: String(id) });
        done.hidden = false;
        done.focus();
      } else done.hidden = true;
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      facts.replaceChildren();
      actions.replaceChildren();
      alert.show(errorKey(err, 'detail'));
    }
  }
  done.tabIndex = -1;
  facts.append(h('dd', { i18n: 'loading' }));
  load();

  return h('div', { class: 'intake-detail' },
    h('div', { class: 'title-row' }, heading, h('a', { href: '#/intakes', class: 'button-link', i18n: 'detail.back' })),
    done,
    alert.el,
    h('section', { class: 'card', 'aria-labelledby': 'detail-facts-h' },
      h('h2', { id: 'detail-facts-h', i18n: 'detail.facts' }), facts),
    actions);
}
