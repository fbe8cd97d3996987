// report-detail.js: one periodic report, laid out like the paper form
// (#/reports/view?form=&period=[&place=] or #/reports/{id}): sections as
// header rows, numbered rows, split rows as indented sub-rows, rates with
// their target and a traffic light in words. Before the submit button the
// findings of the checks (errors block sending; warnings need a note).
// Submit (POST /api/reports/submit) when the view says may_submit; approve
// or return with a comment (POST /api/reports/{id}/review) when it says
// may_review; the steps taken; the review comment of a returned report;
// exports (XLSX, CSV, JSON; "published" suppresses small cells); a print
// view (#/reports/print?..., A4 with the national header and signatures).
// Each submit step links to that submission as it was submitted
// (#/reports/{id}?submission=N, GET /api/reports/{id}/submissions/N): the
// same page and table, read only, under a banner saying which submission
// it is and whether it was returned (with the comment), approved or is the
// current one.
import { get, post, withQuery } from '../api.js';
import { h, field, alertBox, setText, time } from '../dom.js';
import { lang, dmy } from '../i18n.js';
import { errorKey } from './errors.js';
import { rateProps, lightBadge } from './kpi.js';
import { bi, placeName, statusBadge, periodText, reportHref, hashQuery } from './report-common.js';

// The table of a report body's rows.
export function reportTable(report) {
  const cols = ['report.col.no', 'report.col.item', 'report.col.value', 'report.col.target', 'report.col.light'];
  const body = [];
  let section = null;
  for (const r of report.rows ?? []) {
    if (r.section_vi !== section) {
      section = r.section_vi;
      body.push(h('tr', { class: 'section' }, h('th', { scope: 'rowgroup', colspan: cols.length },
        bi(r.section_vi, r.section_en))));
    }
    const sub = r.by || /\./.test(r.no ?? '');
    if (r.kind === 'rate') {
      body.push(h('tr', { class: 'rate', 'data-item': r.item, 'data-by': '', 'data-no': r.no },
        h('td', { class: 'no', text: r.no }),
        h('th', { scope: 'row' }, bi(r.label_vi, r.label_en)),
        h('td', { class: 'num', 'data-value': r.rate === null ? '' : String(r.rate) },
          h('span', { class: 'frac', text: `${r.numerator ?? 0}/${r.denominator ?? 0}` }), ' ',
          h('strong', rateProps(r.rate))),
        h('td', { i18n: `case.kpi.target.${r.comparison}`, args: { pct: String(r.target_percent) } }),
        h('td', {}, lightBadge(r.light ?? 'none'))));
      continue;
    }
    body.push(h('tr', { class: sub ? 'split' : 'count', 'data-item': r.item, 'data-by': r.by ?? '',
      'data-no': r.no },
    h('td', { class: 'no', text: r.no }),
    h('th', { scope: 'row', class: sub ? 'indent' : null }, bi(r.label_vi, r.label_en)),
    h('td', { class: 'num', 'data-value': String(r.total ?? 0), text: String(r.total ?? 0) }),
    h('td'), h('td')));
    for (const c of r.cells ?? [])
      body.push(h('tr', { class: 'cell', 'data-item': r.item, 'data-by': r.by ?? '', 'data-category': c.category },
        h('td', { class: 'no' }),
        h('th', { scope: 'row', class: 'indent2' }, bi(c.label_vi, c.label_en)),
        h('td', { class: 'num', 'data-value': String(c.value), text: String(c.value) }),
        h('td'), h('td')));
  }
  return h('table', { class: 'data report-form' },
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, body));
}

// The findings of the checks: errors, then warnings.
function findingsBox(report) {
  const items = report.findings ?? [];
  const errors = items.filter((f) => f.severity === 'error');
  const warnings = items.filter((f) => f.severity !== 'error');
  const list = (xs, cls) => h('ul', { class: cls }, xs.map((f) => h('li', { 'data-code': f.code },
    bi(f.message_vi, f.message_en))));
  return h('section', { class: 'card findings', 'aria-labelledby': 'rep-find-h' },
    h('h2', { id: 'rep-find-h', i18n: 'report.findings' }),
    !items.length ? h('p', { class: 'success findings-none', i18n: 'report.findings.none' }) : null,
    errors.length ? h('div', { class: 'alert findings-errors' },
      h('p', { i18n: 'report.findings.errors', args: { n: errors.length } }), list(errors, 'finding-errors')) : null,
    warnings.length ? h('div', { class: 'notice findings-warnings' },
      h('p', { i18n: 'report.findings.warnings', args: { n: warnings.length } }),
      list(warnings, 'finding-warnings')) : null);
}

// Where the page's view comes from: { id[, submission] } or { form,
// period, place }.
function source(ctx) {
  const q = hashQuery();
  const submission = /^[1-9]\d*$/.test(q.get('submission') ?? '') ? Number(q.get('submission')) : null;
  if (ctx.args.id) return { id: ctx.args.id, submission };
  if (q.get('id')) return { id: Number(q.get('id')), submission };
  return { form: q.get('form') ?? '', period: q.get('period') ?? '', place: q.get('place') ?? '' };
}

function fetchView(src) {
  if (src.id) return get(`/api/reports/${src.id}`);
  return get(withQuery('/api/reports', { form: src.form, period: src.period, place: src.place }));
}

// The view, and the submission it asks for: null when none is asked,
// 'lost' when the report has no such submission (a stale or typed link:
// the report itself is still shown).
async function fetchAll(src) {
  if (!src.submission) return [await fetchView(src), null];
  const sub = get(`/api/reports/${src.id}/submissions/${src.submission}`).catch((err) => {
    if (err.status === 404) return 'lost';
    throw err;
  });
  return Promise.all([fetchView(src), sub]);
}

// Which submission this is and what became of it.
function submissionBanner(sub) {
  const returned = sub.status_after === 'returned';
  return h('div', { class: `${returned ? 'alert' : 'notice'} submission-banner`, role: 'status',
    'data-submission': String(sub.submission), 'data-status-after': sub.status_after },
  h('p', { class: 'submission-title', i18n: `report.submission.${sub.status_after}`,
    args: { n: String(sub.submission) } }),
  returned && sub.comment ? h('p', { class: 'comment', text: sub.comment }) : null,
  h('p', { class: 'no-print' }, h('a', { href: `#/reports/${sub.report_id}`, i18n: 'report.submission.back' })));
}

// The national header, place, title, period, table and signatures (A4).
function printView(ctx, v) {
  const r = v.report;
  const p = periodText(r.period.key);
  const today = new Date();
  return h('div', { class: 'print-sheet' },
    h('div', { class: 'no-print actions' },
      h('button', { type: 'button', class: 'primary', i18n: 'report.print.now', onclick: () => window.print() }),
      h('a', { href: v.id ? reportHref(`/reports/${v.id}`)
        : reportHref('/reports/view', { form: r.form.code, period: r.period.key, place: r.place.code }),
      i18n: 'report.print.back' })),
    h('div', { class: 'print-head' },
      h('div', { class: 'print-unit' },
        placeName(r.place, 'p', { class: 'print-place' }),
        h('p', { i18n: 'report.print.number' })),
      h('div', { class: 'print-nation' },
        h('p', { class: 'nation', i18n: 'report.print.nation' }),
        h('p', { class: 'motto', i18n: 'report.print.motto' }),
        h('p', { class: 'print-date', i18n: 'report.print.date', args: { d: String(today.getDate()),
          m: String(today.getMonth() + 1), y: String(today.getFullYear()) } }))),
    bi(r.form.name_vi, r.form.name_en, 'h1', { class: 'print-title' }),
    h('p', { class: 'print-period' }, h('span', { i18n: p.key, args: p.args }), ' ',
      h('span', { i18n: 'report.period.range', args: { from: dmy(r.period.from), to: dmy(r.period.to) } })),
    h('p', { class: 'print-status' }, h('span', { i18n: 'report.status' }), ' ', statusBadge(v.status)),
    reportTable(r),
    h('div', { class: 'signatures' },
      h('div', {}, h('p', { class: 'sign-role', i18n: 'report.print.maker' }),
        h('p', { class: 'sign-hint', i18n: 'report.print.sign' })),
      h('div', {}, h('p', { class: 'sign-role', i18n: 'report.print.head' }),
        h('p', { class: 'sign-hint', i18n: 'report.print.seal' }))));
}

export function render(ctx, { print = false } = {}) {
  ctx.setTitle(print ? 'report.print.title' : 'report.detail');
  const src = source(ctx);
  const root = h('div', { class: print ? 'report-print' : 'report-detail' },
    h('h1', { i18n: print ? 'report.print.title' : 'report.detail' }), h('p', { i18n: 'loading' }));
  const done = h('div', { class: 'success', role: 'status', hidden: true });

  async function load(ok) {
    try {
      const [v, got] = await fetchAll(src);
      if (!ctx.current()) return;
      if (v.id && !src.id) src.id = v.id;
      const sub = got === 'lost' ? null : got;
      if (sub) ctx.setTitle('report.submission.title', { n: String(sub.submission) });
      root.replaceChildren(...(print ? [printView(ctx, v)] : page(v, sub)));
      if (got === 'lost') {
        root.insertBefore(h('p', { class: 'alert submission-missing', role: 'alert', i18n: 'report.submission.missing',
          args: { n: String(src.submission) } }), root.children[2] ?? null);
      }
      if (ok) {
        done.hidden = false;
        setText(done, ok);
        done.tabIndex = -1;
        done.focus();
      }
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      root.replaceChildren(h('h1', { i18n: 'report.detail' }),
        h('p', { class: 'alert', role: 'alert', i18n: errorKey(err, 'report') }),
        h('p', {}, h('a', { href: '#/reports', i18n: 'report.back' })));
    }
  }

  // The report, or (sub) one of its submissions as submitted: the same
  // facts, table and findings, without the exports and the forms.
  function page(v, sub = null) {
    const r = sub ? sub.snapshot : v.report;
    const p = periodText(r.period.key);
    const where = { form: r.form.code, period: r.period.key, place: r.place.code };
    const submittedAt = sub ? sub.submitted_at : v.submitted_at;
    const note = sub ? sub.note : v.note;
    return [
      h('p', { class: 'no-print' }, h('a', { href: reportHref('/reports', { form: r.form.code, period: r.period.key }),
        i18n: 'report.back' })),
      bi(r.form.name_vi, r.form.name_en, 'h1'),
      done,
      sub ? submissionBanner(sub) : null,
      !sub && v.status === 'returned' && v.review_comment ? h('div', { class: 'alert report-returned', role: 'alert' },
        h('p', { i18n: 'report.returned_comment' }), h('p', { class: 'comment', text: v.review_comment })) : null,
      h('dl', { class: 'facts report-facts' },
        h('dt', { i18n: 'report.place' }), placeName(r.place, 'dd', { class: 'place' }),
        h('dt', { i18n: 'report.period' }), h('dd', {}, h('span', { i18n: p.key, args: p.args }), ' ',
          h('span', { class: 'muted', i18n: 'report.period.range',
            args: { from: dmy(r.period.from), to: dmy(r.period.to) } })),
        sub ? null : h('dt', { i18n: 'report.status' }), sub ? null : h('dd', {}, statusBadge(v.status)),
        h('dt', { i18n: 'report.due_on' }), h('dd', { text: v.due_on ? dmy(v.due_on) : '—' }),
        sub ? null : h('dt', { i18n: 'report.version' }),
        sub ? null : h('dd', { class: 'version', text: String(v.version ?? 0) }),
        submittedAt ? h('dt', { i18n: 'report.submitted_at' }) : null,
        submittedAt ? h('dd', {}, time(submittedAt)) : null,
        sub ? h('dt', { i18n: 'report.submission.by' }) : null,
        sub ? h('dd', { class: 'submitted-by', text: `${sub.submitted_by} (${sub.unit})` }) : null,
        note ? h('dt', { i18n: 'report.note_shown' }) : null,
        note ? h('dd', { class: 'note', vi: note }) : null,
        h('dt', { i18n: 'report.legal_basis' }), h('dd', { class: 'muted', text: r.form.legal_basis ?? '' })),
      sub ? null : h('div', { class: 'report-tools no-print' }, exports(where),
        h('a', { class: 'button secondary print-link', href: reportHref('/reports/print', v.id ? { id: v.id } : where),
          i18n: 'report.print' })),
      h('div', { class: 'table-wrap' }, reportTable(r)),
      findingsBox(r),
      !sub && v.may_submit ? submitForm(v, where) : null,
      !sub && v.may_review ? reviewForm(v) : null,
      steps(v, sub),
    ].filter(Boolean);
  }

  // Links to the exports; "published" asks for small cells suppressed.
  function exports(where) {
    const box = h('input', { type: 'checkbox', id: 'rep-published', name: 'published' });
    const links = ['xlsx', 'csv', 'json'].map((f) => h('a', { class: 'button secondary export', 'data-format': f,
      download: '', i18n: `report.export.${f}` }));
    const update = () => links.forEach((a) => {
      a.href = withQuery('/api/reports/export', { ...where, format: a.dataset.format,
        suppress: box.checked ? 5 : '', lang: lang() });
    });
    box.addEventListener('change', update);
    update();
    return h('div', { class: 'exports', role: 'group', attrs: { 'aria-label': 'report.export' } },
      h('span', { class: 'muted', i18n: 'report.export' }), links,
      h('span', { class: 'check' }, box, h('label', { for: 'rep-published', i18n: 'report.published' })));
  }

  function submitForm(v, where) {
    const note = field({ name: 'note', label: 'report.note', hint: v.warnings ? 'report.note.needed' : 'report.note.hint',
      control: h('textarea', { rows: 3, maxlength: 2000 }) });
    const alert = alertBox();
    const btn = h('button', { type: 'submit', class: 'primary', i18n: 'report.submit',
      disabled: v.errors > 0 });
    const form = h('form', { class: 'card report-submit', novalidate: true, 'aria-labelledby': 'rep-sub-h' },
      h('h2', { id: 'rep-sub-h', i18n: 'report.submit.title' }), alert.el, note.el,
      v.errors > 0 ? h('p', { class: 'field-error', i18n: 'report.submit.blocked' }) : null,
      h('div', { class: 'actions' }, btn));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      note.error(null);
      alert.hide();
      btn.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        const res = await post('/api/reports/submit', { form: where.form, period: where.period,
          place: where.place, note: note.input.value.trim() || undefined, version: v.version ?? 0 });
        if (!ctx.current()) return;
        if (res?.id) src.id = res.id;
        await load('report.submitted');
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        if (err.field === 'note') {
          note.error('report.error.note');
          note.input.focus();
        } else if (err.field === 'report') alert.show('report.error.report');
        else if (err.field === 'period') alert.show('report.error.period');
        else alert.show(errorKey(err, 'report'));
      } finally {
        btn.disabled = v.errors > 0;
        form.removeAttribute('aria-busy');
      }
    });
    return form;
  }

  function reviewForm(v) {
    const comment = field({ name: 'comment', label: 'report.comment', hint: 'report.comment.hint',
      control: h('textarea', { rows: 3, maxlength: 2000 }) });
    const alert = alertBox();
    const approve = h('button', { type: 'button', class: 'primary', 'data-decision': 'approve', i18n: 'report.approve' });
    const ret = h('button', { type: 'button', class: 'secondary', 'data-decision': 'return', i18n: 'report.return' });
    const form = h('form', { class: 'card report-review', novalidate: true, 'aria-labelledby': 'rep-rev-h' },
      h('h2', { id: 'rep-rev-h', i18n: 'report.review.title' }), alert.el, comment.el,
      h('div', { class: 'actions' }, approve, ret));
    form.addEventListener('submit', (e) => e.preventDefault());
    async function decide(decision) {
      comment.error(null);
      alert.hide();
      const text = comment.input.value.trim();
      if (decision === 'return' && !text) {
        comment.error('report.error.comment');
        comment.input.focus();
        return;
      }
      approve.disabled = ret.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        await post(`/api/reports/${v.id}/review`, { decision, comment: text || undefined, version: v.version });
        if (!ctx.current()) return;
        await load(decision === 'approve' ? 'report.approved' : 'report.returned');
      } catch (err) {
        if (!ctx.current() || err.handled) return;
        if (err.field === 'comment') comment.error('report.error.comment');
        else alert.show(errorKey(err, 'report'));
      } finally {
        approve.disabled = ret.disabled = false;
        form.removeAttribute('aria-busy');
      }
    }
    approve.addEventListener('click', () => decide('approve'));
    ret.addEventListener('click', () => decide('return'));
    return form;
  }

  // The steps; a submit step links to its submission when it was kept
  // (the one shown, sub, is marked as the current page).
  function steps(v, sub) {
    const list = v.steps ?? [];
    if (!list.length) return null;
    const cols = ['report.step.at', 'report.step.action', 'report.step.user', 'report.step.unit', 'report.step.comment'];
    const link = (s) => {
      if (!s.submission || !v.id) return null;
      if (!s.kept) return h('span', { class: 'muted submission-lost', i18n: 'report.submission.lost' });
      return h('a', { class: 'submission-link', href: `#/reports/${v.id}?submission=${s.submission}`,
        'aria-current': sub?.submission === s.submission ? 'page' : null,
        i18n: 'report.submission.open', args: { n: String(s.submission) } });
    };
    return h('section', { class: 'report-steps', 'aria-labelledby': 'rep-steps-h' },
      h('h2', { id: 'rep-steps-h', i18n: 'report.steps' }),
      h('table', { class: 'data steps' },
        h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, list.map((s) => {
          const a = link(s);
          return h('tr', { 'data-action': s.action, 'data-submission': s.submission ?? null },
            h('td', {}, time(s.at)),
            h('td', {}, h('span', { i18n: `report.step.${s.action}` }), a ? ' ' : null, a),
            h('td', { text: s.user ?? '' }),
            h('td', { vi: s.unit ?? '' }),
            h('td', { class: 'comment', text: s.comment ?? '' }));
        }))));
  }

  load();
  return root;
}

// The print view of the same report (#/reports/print?...).
export const printPage = { render: (ctx) => render(ctx, { print: true }) };
