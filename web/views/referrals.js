// referrals.js: referrals (chuyển tuyến) received by the user's unit and
// sent by it (GET /api/referrals?box=in|out), the inbox counts, and per row
// the actions allowed: accept / refuse (a reason) / complete for the
// receiving unit, withdraw for the sender. A late referral (unanswered
// after 48 hours) is said in words.
import { get, post } from '../api.js';
import { h, alertBox, setText, time } from '../dom.js';
import { t } from '../i18n.js';
import { errorKey, showConflict } from './errors.js';

const BOXES = ['in', 'out'];
const COUNTS = ['sent', 'accepted', 'refused', 'completed', 'withdrawn', 'late'];

function boxOf(hash) {
  const q = hash.indexOf('?');
  const box = q < 0 ? '' : new URLSearchParams(hash.slice(q + 1)).get('box') ?? '';
  return BOXES.includes(box) ? box : 'in';
}

export function render(ctx) {
  ctx.setTitle('referrals.title');
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true });
  let box = boxOf(location.hash);
  let units = new Map();

  const buttons = BOXES.map((b) => h('button', { type: 'button', class: 'tab', 'data-box': b,
    i18n: `referrals.box.${b}` }));
  const tabs = h('div', { class: 'tabs', role: 'group', attrs: { 'aria-label': 'referrals.box' } }, buttons);
  const summary = h('p', { class: 'referral-summary', 'aria-live': 'polite' });

  const cols = ['referrals.col.id', 'referrals.col.object', 'referrals.col.from', 'referrals.col.to',
    'referrals.col.status', 'referrals.col.sent_at', 'referrals.col.ack_due_at', 'referrals.col.actions'];
  const tbody = h('tbody');
  const caption = h('caption', { i18n: `referrals.caption.${box}` });
  const table = h('table', { class: 'data referrals' }, caption,
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))), tbody);

  const unitName = (uid) => units.get(uid)?.name ?? t('referrals.unit', { id: String(uid) });

  // The record referred, a link to its page (the receiving unit may open
  // it while the referral stands; the sender owns it).
  const PAGES = { intake: 'intakes', person: 'persons' };
  function object(r) {
    const page = PAGES[r.object_type];
    return h(page ? 'a' : 'span', { href: page ? `#/${page}/${r.object_id}` : null,
      i18n: `referrals.object.${r.object_type}`, args: { id: String(r.object_id) } });
  }

  async function act(r, what, body, message) {
    alert.hide();
    done.hidden = true;
    try {
      await post(`/api/referrals/${r.id}/${what}`, { version: r.version, ...body });
      if (!ctx.current()) return;
      await load();
      setText(done, message, { id: String(r.id) });
      done.hidden = false;
      done.focus();
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      if (!showConflict(err, { alert, stale: 'referrals.error.conflict' })) alert.show(errorKey(err, 'referrals'));
    }
  }

  function actions(r) {
    const cell = h('td', { class: 'row-actions' });
    const label = (key) => ({ 'aria-label': t(key, { id: String(r.id) }) });
    const button = (key, onclick, cls = 'small') => h('button', { type: 'button', class: cls,
      i18n: `referrals.action.${key}`, ...label(`referrals.action.${key}_label`), onclick });
    if (box === 'in' && r.status === 'sent') {
      const reasonId = `refuse-reason-${r.id}`;
      const reason = h('input', { id: reasonId, name: 'reason', maxlength: 1000, autocomplete: 'off' });
      const err = h('p', { id: `${reasonId}-err`, class: 'field-error', role: 'alert', hidden: true });
      reason.setAttribute('aria-describedby', err.id);
      const refuseForm = h('form', { class: 'refuse', hidden: true, novalidate: true },
        h('label', { for: reasonId, i18n: 'referrals.reason', args: { id: String(r.id) } }), reason, err,
        h('button', { type: 'submit', class: 'small danger', i18n: 'referrals.action.refuse_confirm' }));
      refuseForm.addEventListener('submit', (e) => {
        e.preventDefault();
        const text = reason.value.trim().normalize('NFC');
        if (!text) {
          err.hidden = false;
          setText(err, 'referrals.error.reason_required');
          reason.setAttribute('aria-invalid', 'true');
          reason.focus();
          return;
        }
        act(r, 'refuse', { reason: text }, 'referrals.done.refuse');
      });
      cell.append(button('accept', () => act(r, 'accept', {}, 'referrals.done.accept'), 'small primary'), ' ',
        button('refuse', () => {
          refuseForm.hidden = false;
          reason.focus();
        }), refuseForm);
    } else if (box === 'in' && r.status === 'accepted') {
      cell.append(button('complete', () => act(r, 'complete', {}, 'referrals.done.complete'), 'small primary'));
    } else if (box === 'out' && (r.status === 'sent' || r.status === 'accepted')) {
      cell.append(button('withdraw', () => act(r, 'withdraw', {}, 'referrals.done.withdraw')));
    } else cell.append(h('span', { class: 'muted', i18n: 'referrals.no_action' }));
    return cell;
  }

  function row(r) {
    return h('tr', { class: r.late ? 'overdue' : null, 'data-id': String(r.id) },
      h('th', { scope: 'row', class: 'mono', text: String(r.id) }),
      h('td', {}, object(r)),
      h('td', { vi: unitName(r.from_unit_id) }),
      h('td', { vi: unitName(r.to_unit_id) }),
      h('td', { class: 'nowrap' }, h('span', { class: `badge ref-${r.status}`, i18n: `referrals.status.${r.status}` }),
        r.refusal_reason ? [' ', h('span', { class: 'muted', text: `(${r.refusal_reason})` })] : null),
      h('td', { class: 'nowrap' }, time(r.sent_at)),
      h('td', { class: 'nowrap deadline' }, time(r.ack_due_at),
        r.late ? [' ', h('span', { class: 'badge due-overdue', i18n: 'referrals.late' })] : null),
      actions(r));
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.box === box));
    setText(caption, `referrals.caption.${box}`);
    table.setAttribute('aria-busy', 'true');
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: cols.length, i18n: 'loading' })));
    try {
      const [res, u] = await Promise.all([get(`/api/referrals?box=${box}`),
        units.size ? null : get('/api/units').catch(() => ({ items: [] }))]);
      if (!ctx.current() || mine !== seq) return;
      if (u) units = new Map((u.items ?? []).map((x) => [x.id, x]));
      const items = res.items ?? [];
      tbody.replaceChildren(...(items.length ? items.map(row)
        : [h('tr', {}, h('td', { colspan: cols.length, i18n: `referrals.empty.${box}` }))]));
      const inbox = res.inbox ?? {};
      setText(summary, 'referrals.summary', Object.fromEntries(COUNTS.map((k) => [k, inbox[k] ?? 0])));
      ctx.refreshWaiting?.(box === 'in' ? inbox : undefined);
      table.removeAttribute('aria-busy');
    } catch (err) {
      if (!ctx.current() || mine !== seq || err.handled) return;
      tbody.replaceChildren();
      table.removeAttribute('aria-busy');
      alert.show(errorKey(err, 'referrals'));
    }
  }

  for (const b of buttons)
    b.addEventListener('click', () => {
      box = b.dataset.box;
      done.hidden = true;
      alert.hide();
      history.replaceState(null, '', `#/referrals?box=${box}`);
      load();
    });
  done.tabIndex = -1;
  load();

  return h('div', { class: 'referrals' },
    h('h1', { i18n: 'referrals.title' }),
    tabs,
    summary,
    done,
    alert.el,
    h('div', { class: 'table-wrap' }, table));
}
