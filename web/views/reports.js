// reports.js: the periodic reports (báo cáo định kỳ). On top, the user's
// reminders (GET /api/reports/reminders): reports due, waiting for review,
// units that have not reported. Then a form and a period (the latest
// period whose end has passed): for a form of the user's own level, its
// report's status and deadline with a link to it (GET /api/reports); for a
// form of a level below, the completeness of its places (GET
// /api/reports/completeness): counts, and each place's status and
// timeliness, a submitted report opening in the detail view. A national
// user sees the communes' completeness a province at a time (the province
// chosen in a third select); it has no commune report of its own. Form
// and place names follow the language (English names from the API; "Viet
// Nam" for the place VN).
import { get, post, withQuery } from '../api.js';
import { h, field, alertBox, time, setText } from '../dom.js';
import { t, dmy } from '../i18n.js';
import { provinces, fillSelect, choose } from '../ref.js';
import { errorKey } from './errors.js';
import { bi, statusBadge, timelinessBadge, periodKeys, defaultPeriod, periodText, reportHref,
  hashQuery, LEVELS_FOR, placeName, formName } from './report-common.js';

const COUNTS = ['expected', 'submitted', 'returned', 'on_time', 'late', 'missing', 'overdue'];

// The number of a period within its year, as the deadlines count them.
function periodNo(key) {
  const m = /-[QH](\d)$/.exec(key ?? '');
  return m ? Number(m[1]) : 1;
}

// One reminder as a list item with a link to where it is acted on. The
// form's name is data in two languages: relabel() writes the link again
// in the language of the moment (pushed onto relabels, for a switch).
function reminder(r, relabels) {
  const period = periodText(r.period);
  const args = { period: r.period, due: dmy(r.due_on), n: r.count ?? 0, days: Math.abs(r.days_left ?? 0) };
  let key = `report.reminder.${r.kind}`;
  if (r.kind === 'due') key = (r.days_left ?? 0) < 0 ? 'report.reminder.due_over' : 'report.reminder.due';
  const href = reportHref('/reports', { form: r.form, period: r.period });
  const link = h('a', { href });
  const relabel = () => setText(link, key, { ...args, form: formName(r) });
  relabel();
  relabels.push(relabel);
  return h('li', { class: `reminder reminder-${r.kind}`, 'data-kind': r.kind, 'data-form': r.form },
    link, ' ', h('span', { class: 'muted', i18n: period.key, args: period.args }));
}

export function render(ctx) {
  ctx.setTitle('report.title');
  const unit = ctx.user?.org_unit ?? {};
  const level = unit.level ?? 'commune';
  const levels = LEVELS_FOR[level] ?? ['commune'];
  const q = hashQuery();
  const alert = alertBox();
  let forms = [];

  // --- reminders ---
  const remList = h('ul', { class: 'reminders' }, h('li', { i18n: 'loading' }));
  const relabels = []; // of the reminders, on a switch of language
  const onLang = () => {
    if (ctx.current()) for (const f of relabels) f();
    else document.removeEventListener('ctip:lang', onLang);
  };
  document.addEventListener('ctip:lang', onLang);
  const remSection = h('section', { class: 'card report-reminders', 'aria-labelledby': 'rep-rem-h' },
    h('h2', { id: 'rep-rem-h', i18n: 'report.reminders' }), remList);
  get('/api/reports/reminders').then((res) => {
    if (!ctx.current()) return;
    const items = res.items ?? [];
    relabels.length = 0;
    remList.replaceChildren(...(items.length ? items.map((r) => reminder(r, relabels))
      : [h('li', { class: 'muted', i18n: 'report.reminders.none' })]));
  }, (err) => {
    if (!ctx.current() || err.handled) return;
    remList.replaceChildren(h('li', { class: 'field-error', i18n: errorKey(err, 'report') }));
  });

  // --- the choice of form and period ---
  const formSel = h('select', { 'data-autofocus': true }, h('option', { value: '', i18n: 'loading' }));
  const periodSel = h('select', {});
  const formF = field({ name: 'form', label: 'report.form', control: formSel });
  const periodF = field({ name: 'period', label: 'report.period', control: periodSel });
  // The province whose communes a national user looks at (commune forms).
  const provSel = h('select', {}, h('option', { value: '', i18n: 'report.province.choose' }));
  const provF = field({ name: 'province', label: 'report.province', control: provSel });
  provF.el.hidden = true;
  let provFilled = null;
  const communesOfProvince = (f) => level === 'nation' && f?.level === 'commune';
  function showProvince(f) {
    provF.el.hidden = !communesOfProvince(f);
    if (provF.el.hidden || provFilled) return;
    provFilled = fillSelect(provSel, provinces, { fmt: (n, x) => `${x.code} – ${n}` });
    if (/^\d{2}$/.test(q.get('province') ?? '')) choose(provSel, q.get('province'));
  }
  const out = h('div', { class: 'report-out', 'aria-live': 'polite' });
  const chooser = h('section', { class: 'card report-choose', 'aria-labelledby': 'rep-choose-h' },
    h('h2', { id: 'rep-choose-h', i18n: 'report.choose' }), alert.el,
    h('div', { class: 'row' }, formF.el, periodF.el, provF.el), out);

  const current = () => forms.find((f) => f.code === formSel.value);

  function fillPeriods(want) {
    const f = current();
    if (!f) {
      periodSel.replaceChildren();
      return;
    }
    const keys = periodKeys(f.period_type);
    periodSel.replaceChildren(...keys.map((k) => {
      const p = periodText(k);
      return h('option', { value: k, i18n: p.key, args: p.args });
    }));
    periodSel.value = want && keys.includes(want) ? want : defaultPeriod(f.period_type);
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const f = current();
    alert.hide();
    if (!f) {
      out.replaceChildren();
      return;
    }
    const period = periodSel.value;
    const province = communesOfProvince(f) ? provSel.value : '';
    history.replaceState(null, '', reportHref('/reports', { form: f.code, period, province }));
    if (communesOfProvince(f) && !province) {
      out.removeAttribute('aria-busy');
      out.replaceChildren(h('p', { class: 'muted report-province-needed', i18n: 'report.province.needed' }));
      return;
    }
    out.setAttribute('aria-busy', 'true');
    out.replaceChildren(h('p', { i18n: 'loading' }));
    try {
      if (f.level === level) {
        const v = await get(withQuery('/api/reports', { form: f.code, period }));
        if (!ctx.current() || mine !== seq) return;
        out.replaceChildren(own(f, v));
      } else {
        const c = await get(withQuery('/api/reports/completeness', { form: f.code, period, province }));
        if (!ctx.current() || mine !== seq) return;
        out.replaceChildren(completeness(f, c));
      }
    } catch (err) {
      if (!ctx.current() || mine !== seq || err.handled) return;
      out.replaceChildren();
      alert.show(errorKey(err, 'report'));
    } finally {
      if (mine === seq) out.removeAttribute('aria-busy');
    }
  }

  // The user's own report of the form and period.
  function own(f, v) {
    const p = periodText(v.report?.period?.key ?? periodSel.value);
    return h('div', { class: 'report-own' },
      h('dl', { class: 'facts' },
        h('dt', { i18n: 'report.place' }), placeName(v.report?.place, 'dd', { class: 'place' }),
        h('dt', { i18n: 'report.period' }), h('dd', { i18n: p.key, args: p.args }),
        h('dt', { i18n: 'report.status' }), h('dd', {}, statusBadge(v.status)),
        h('dt', { i18n: 'report.due_on' }), h('dd', { text: v.due_on ? dmy(v.due_on) : '—' }),
        v.submitted_at ? h('dt', { i18n: 'report.submitted_at' }) : null,
        v.submitted_at ? h('dd', {}, time(v.submitted_at)) : null),
      v.status === 'returned' && v.review_comment
        ? h('p', { class: 'alert report-returned' }, h('span', { i18n: 'report.returned_comment' }), ' ',
          h('span', { class: 'comment', text: v.review_comment })) : null,
      h('p', { class: 'actions' }, h('a', { class: 'button primary', href: v.id
        ? reportHref(`/reports/${v.id}`) : reportHref('/reports/view', { form: f.code, period: periodSel.value }),
      i18n: v.may_submit ? 'report.open_submit' : 'report.open' })),
      deadlineForm(f, v));
  }

  // "18/6" or "18/06" -> "06-18" (anything else as it is, for the server
  // to refuse).
  const monthDay = (x) => {
    const m = /^(\d{1,2})\/(\d{1,2})$/.exec(x);
    return m ? `${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : x;
  };

  // A province sets its own deadline for its forms (the programme leaves
  // it to the province): statisticians and supervisors of the province.
  function deadlineForm(f, v) {
    const roles = ctx.user?.roles ?? [];
    if (f.level !== 'province' || level !== 'province' ||
        !roles.some((r) => r === 'statistician' || r === 'supervisor')) return null;
    // Typed as dd/mm, as dates are shown (the API takes MM-DD).
    const md = /^\d{4}-(\d{2})-(\d{2})$/.exec(v.due_on ?? '');
    const input = h('input', { type: 'text', name: 'month_day', maxlength: 5, value: md ? `${md[2]}/${md[1]}` : '' });
    input.setAttribute('placeholder', 'dd/mm');
    input.setAttribute('inputmode', 'numeric');
    const f1 = field({ name: 'month_day', label: 'report.deadline.label', hint: 'report.deadline.hint', control: input });
    const msg = h('p', { class: 'muted', role: 'status' });
    const form = h('form', { class: 'report-deadline stack' }, f1.el,
      h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', i18n: 'report.deadline.save' })),
      msg);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      f1.error(null);
      msg.textContent = '';
      try {
        await post('/api/reports/deadlines', { form: f.code, period_no: periodNo(periodSel.value),
          month_day: monthDay(input.value.trim()) });
        if (!ctx.current()) return;
        await load();
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        f1.error(errorKey(err, 'report'));
      }
    });
    return form;
  }

  // The places of the level below, with counts.
  function completeness(f, c) {
    const counts = c.counts ?? {};
    const cols = ['report.col.code', 'report.col.place', 'report.col.status', 'report.col.timeliness',
      'report.col.submitted_at', 'report.col.open'];
    return h('div', { class: 'report-completeness' },
      h('p', {}, h('span', { i18n: 'report.due_on' }), ' ', h('strong', { text: c.due_on ? dmy(c.due_on) : '—' })),
      h('ul', { class: 'counts' }, COUNTS.map((k) => h('li', { 'data-count': k },
        h('span', { i18n: `report.count.${k}` }), ' ', h('strong', { text: String(counts[k] ?? 0) })))),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data completeness' },
        h('caption', { i18n: 'report.completeness', args: { n: (c.places ?? []).length } }),
        h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, (c.places ?? []).map((p) => h('tr', { 'data-place': p.code, 'data-status': p.status },
          h('td', { class: 'mono', text: p.code }),
          h('th', { scope: 'row', vi: p.name }),
          h('td', {}, statusBadge(p.status)),
          h('td', {}, timelinessBadge(p.timeliness)),
          h('td', {}, p.submitted_at ? time(p.submitted_at) : ''),
          h('td', {}, p.report_id ? h('a', { href: reportHref(`/reports/${p.report_id}`), i18n: 'report.open_short' })
            : null)))))));
  }

  formSel.addEventListener('change', () => {
    fillPeriods();
    showProvince(current());
    load();
  });
  periodSel.addEventListener('change', load);
  provSel.addEventListener('change', load);

  get('/api/reports/forms').then((res) => {
    if (!ctx.current()) return;
    forms = (res.items ?? []).filter((f) => levels.includes(f.level));
    forms.sort((a, b) => levels.indexOf(a.level) - levels.indexOf(b.level));
    formSel.replaceChildren(...levels.map((l) => {
      const og = h('optgroup', {});
      og.dataset.i18nAttr = `label:report.level.${l}`;
      og.label = t(`report.level.${l}`);
      og.append(...forms.filter((f) => f.level === l).map((f) => {
        const o = bi(f.name_vi, f.name_en, 'option');
        o.value = f.code;
        return o;
      }));
      return og;
    }).filter((og) => og.children.length));
    const want = q.get('form');
    if (want && forms.some((f) => f.code === want)) formSel.value = want;
    fillPeriods(q.get('period'));
    showProvince(current());
    if (provFilled) provFilled.then(() => { if (ctx.current()) load(); });
    else load();
  }, (err) => {
    if (!ctx.current() || err.handled) return;
    formSel.replaceChildren();
    alert.show(errorKey(err, 'report'));
  });

  return h('div', { class: 'reports' },
    h('h1', { i18n: 'report.title' }),
    h('p', { class: 'lead', i18n: 'report.lead' }),
    remSection,
    chooser);
}
