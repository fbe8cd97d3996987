// intakes.js: the unit's intakes (GET /api/intakes), all of them or those
// overdue or due soon on the legal clock (?due=overdue|soon, oldest
// deadline first). An overdue deadline is said in words, not by colour only.
import { get, withQuery } from '../api.js';
import { h, alertBox, setText, time } from '../dom.js';
import { has } from '../i18n.js';
import { errorKey } from './errors.js';

const LIMIT = 200;
const FILTERS = ['', 'overdue', 'soon'];

// The due filter in the address: #/intakes?due=overdue
function dueOf(hash) {
  const q = hash.indexOf('?');
  const due = q < 0 ? '' : new URLSearchParams(hash.slice(q + 1)).get('due') ?? '';
  return FILTERS.includes(due) ? due : '';
}

export function render(ctx) {
  ctx.setTitle('intakes.title');
  const alert = alertBox();
  let due = dueOf(location.hash);

  const buttons = FILTERS.map((f) => h('button', { type: 'button', class: 'tab', 'data-due': f,
    i18n: `intakes.filter.${f || 'all'}` }));
  const filters = h('div', { class: 'tabs', role: 'group', attrs: { 'aria-label': 'intakes.filter' } }, buttons);

  const cols = ['intakes.col.id', 'intakes.col.received_at', 'intakes.col.channel', 'intakes.col.urgency',
    'intakes.col.classification', 'intakes.col.status', 'intakes.col.deadline'];
  const tbody = h('tbody', {}, h('tr', {}, h('td', { colspan: cols.length, i18n: 'loading' })));
  const caption = h('caption', { i18n: `intakes.caption.${due || 'all'}` });
  const table = h('table', { class: 'data intakes' },
    caption,
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
    tbody);
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });

  const coded = (prefix, code) => (code && has(`${prefix}.${code}`)
    ? h('span', { i18n: `${prefix}.${code}` })
    : h('span', { class: 'mono', text: code ?? '' }));

  function deadline(legal) {
    if (!legal) return h('td', { class: 'muted', i18n: 'intakes.no_deadline' });
    const state = legal.decision ? 'decided' : legal.overdue ? 'overdue' : legal.due_soon ? 'soon' : null;
    return h('td', { class: `deadline${state ? ` ${state}` : ''}` },
      time(legal.deadline),
      state ? [' ', h('span', { class: `badge due-${state}`, i18n: `intakes.due.${state}` })] : null,
      legal.extension && legal.extension !== 'none'
        ? [' ', h('span', { class: 'muted', i18n: `intakes.extension.${legal.extension}` })] : null);
  }

  function row(i) {
    const urgent = i.urgency === 'high' || i.urgency === 'critical';
    return h('tr', { class: i.legal?.overdue && !i.legal?.decision ? 'overdue' : null },
      h('th', { scope: 'row', class: 'mono' },
        h('a', { href: `#/intakes/${i.id}`, text: String(i.id) })),
      h('td', { class: 'nowrap' }, time(i.received_at)),
      h('td', { class: 'channel' }, coded('channel', i.channel)),
      h('td', { class: 'nowrap' },
        h('span', { class: urgent ? `badge urg-${i.urgency}` : null, i18n: `intake.urgency.${i.urgency}` })),
      h('td', {}, i.classification ? coded('intake.classification', i.classification)
        : h('span', { class: 'muted', i18n: 'intake.classification_none' })),
      h('td', { class: 'nowrap' }, coded('intakes.status', i.status)),
      deadline(i.legal));
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    alert.hide();
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.due === due));
    setText(caption, `intakes.caption.${due || 'all'}`);
    table.setAttribute('aria-busy', 'true');
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: cols.length, i18n: 'loading' })));
    count.textContent = '';
    try {
      const res = await get(withQuery('/api/intakes', { due, limit: LIMIT }));
      if (!ctx.current() || mine !== seq) return;
      const items = res.items ?? [];
      tbody.replaceChildren(...(items.length ? items.map(row)
        : [h('tr', {}, h('td', { colspan: cols.length, i18n: `intakes.empty.${due || 'all'}` }))]));
      setText(count, items.length >= LIMIT ? 'intakes.count_max' : 'intakes.count', { n: items.length });
      table.removeAttribute('aria-busy');
    } catch (err) {
      if (!ctx.current() || mine !== seq || err.handled) return;
      tbody.replaceChildren();
      table.removeAttribute('aria-busy');
      alert.show(errorKey(err, 'intakes'));
    }
  }

  for (const b of buttons)
    b.addEventListener('click', () => {
      due = b.dataset.due;
      // Kept in the address (a reload shows the same list), without a new route.
      history.replaceState(null, '', due ? `#/intakes?due=${due}` : '#/intakes');
      load();
    });
  load();

  const canCreate = ['hotline_operator', 'case_worker', 'investigator'].some((r) => ctx.user?.roles?.includes(r));
  return h('div', { class: 'intakes' },
    h('div', { class: 'title-row' },
      h('h1', { i18n: 'intakes.title' }),
      canCreate ? h('a', { href: '#/intake/new', class: 'button-link', i18n: 'intakes.new' }) : null),
    filters,
    alert.el,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'table-foot' }, count));
}
