// person-timeline.js: a person's timeline (GET /api/persons/{id}/timeline),
// oldest first: the steps of the process, trafficking events, services,
// consents, protection measures, visits, and the intakes, referrals and
// criminal cases linked to the person, each said in Vietnamese by kind.
import { get, withQuery } from '../api.js';
import { h, field, alertBox } from '../dom.js';
import { has, t, datetime, dmy } from '../i18n.js';
import { errorKey } from './errors.js';
import { lastReason } from './person-codes.js';

// The text key of what an entry of kind is about (its "what" code).
const WHAT = {
  step: 'person.step.name',
  service: 'person.support',
  consent: 'person.consent.scope',
  consent_withdrawn: 'person.consent.scope',
  protection: 'person.protection.kind',
  protection_ended: 'person.protection.kind',
  visit: 'person.visit.outcome',
  intake: 'channel',
  referral: 'referrals.status',
  case: 'case.stage',
};

function what(e) {
  if (e.kind === 'event')
    return (e.what ?? '').split(',').filter(Boolean).map((c) => (has(`purpose.${c}`) ? t(`purpose.${c}`) : c)).join('; ');
  const prefix = WHAT[e.kind];
  if (prefix && e.what && has(`${prefix}.${e.what}`)) return h('span', { i18n: `${prefix}.${e.what}` });
  return h('span', { class: 'mono', text: e.what ?? '' });
}

// Links to the records the entry names.
function link(e, id) {
  if (e.kind === 'intake') return h('a', { href: `#/intakes/${e.id}`, i18n: 'detail.title', args: { id: String(e.id) } });
  if (e.kind === 'case') return h('a', { href: `#/cases/${e.id}`, i18n: 'person.timeline.case', args: { id: String(e.id) } });
  if (e.kind === 'referral') return h('a', { href: '#/referrals', i18n: 'person.timeline.referral', args: { id: String(e.id) } });
  return h('a', { href: `#/persons/${id}`, class: 'muted', text: `#${e.id}` });
}

export function render(ctx) {
  const id = ctx.args.id;
  ctx.setTitle('person.timeline.title', { id: String(id) });
  const alert = alertBox();
  const list = h('ol', { class: 'timeline' }, h('li', { i18n: 'loading' }));
  const reasonBox = h('div', { hidden: true });
  let reason = '';

  async function load() {
    alert.hide();
    try {
      const res = await get(withQuery(`/api/persons/${id}/timeline`, { reason }));
      if (!ctx.current()) return;
      const items = res.items ?? [];
      list.replaceChildren(...(items.length ? items.map((e) => h('li', { class: `tl tl-${e.kind}` },
        h('span', { class: 'tl-on nowrap', text: e.on.length > 10 ? datetime(e.on) : dmy(e.on) }),
        h('span', { class: 'tl-kind', i18n: has(`person.timeline.kind.${e.kind}`) ? `person.timeline.kind.${e.kind}`
          : 'person.timeline.kind.other' }),
        h('span', { class: 'tl-what' }, what(e)),
        e.detail ? h('span', { class: 'tl-detail pre', text: e.detail }) : null,
        h('span', { class: 'tl-link' }, link(e, id))))
        : [h('li', { class: 'muted', i18n: 'person.timeline.empty' })]));
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      list.replaceChildren();
      if (err.code === 'reason_required') {
        const r = field({ name: 'reason', label: 'person.reason.label', hint: 'person.reason.hint', required: true,
          attrs: { maxlength: 200, autocomplete: 'off' } });
        r.input.value = lastReason();
        const form = h('form', { class: 'card narrow', novalidate: true }, h('p', { i18n: 'error.reason_required' }), r.el,
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', i18n: 'person.reason.submit' })));
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          reason = r.input.value.trim().normalize('NFC');
          if (!reason) {
            r.error('person.error.reason');
            return;
          }
          lastReason(reason);
          reasonBox.hidden = true;
          load();
        });
        reasonBox.replaceChildren(form);
        reasonBox.hidden = false;
        return;
      }
      alert.show(err.code === 'not_found' ? 'person.detail.not_found' : errorKey(err, 'person'));
    }
  }
  load();

  return h('div', { class: 'person-timeline' },
    h('div', { class: 'title-row' },
      h('h1', { i18n: 'person.timeline.title', args: { id: String(id) } }),
      h('a', { href: `#/persons/${id}`, class: 'button-link', i18n: 'person.timeline.back' })),
    h('p', { class: 'lead', i18n: 'person.timeline.lead' }),
    alert.el,
    reasonBox,
    h('section', { class: 'card', 'aria-labelledby': 'tl-h' },
      h('h2', { id: 'tl-h', class: 'visually-hidden', i18n: 'person.timeline.title', args: { id: String(id) } }),
      list));
}
