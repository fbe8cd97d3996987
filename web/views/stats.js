// stats.js: the statistics page (thống kê). Three parts for the same
// period and place: the value of an indicator (GET /api/stats/values),
// total and categories of a disaggregation with bars; the programme's KPI
// rates as traffic lights (GET /api/kpi/intakes, /api/kpi/cases); for
// national users, the indicator in each of the 34 provinces, ranked.
// Charts are plain HTML bars (no library, no external service). Under
// them, the indicator over the last 8 quarters (GET /api/stats/trend) as an
// inline SVG line, the quarter still running marked as partial.
import { get, withQuery } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { pick, num, has, t, dmy } from '../i18n.js';
import { errorKey } from './errors.js';
import { placePicker } from './place-picker.js';
import { provinces, communes, ethnicGroups, countries, refLater, bilingual } from '../ref.js';
import { rateProps, lightBadge } from './kpi.js';
import { today } from './cases.js';

const COUNTS = ['intakes', 'persons', 'services', 'cases', 'offenders', 'referrals'];
const RANK_CONCURRENCY = 4;
const TREND_QUARTERS = 8;
const SVG = 'http://www.w3.org/2000/svg';

// An SVG element with attributes (SVG needs its namespace; h() makes HTML).
function svg(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...kids.filter(Boolean));
  return el;
}

// A line chart of items [{period, total, partial}]: a point per period, a
// dashed segment and a hollow point for a partial one.
export function trendChart(items) {
  const W = 640;
  const H = 220;
  const L = 44;
  const R = 44;
  const T = 24;
  const B = 40;
  const max = Math.max(1, ...items.map((x) => x.total));
  const step = items.length > 1 ? (W - L - R) / (items.length - 1) : 0;
  const x = (i) => L + i * step;
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const kids = [];
  for (const v of [0, max / 2, max]) {
    const yy = y(v).toFixed(1);
    kids.push(svg('line', { x1: L, x2: W - R, y1: yy, y2: yy, class: 'grid' }),
      svg('text', { x: L - 6, y: Number(yy) + 4, 'text-anchor': 'end', class: 'axis' }));
    kids.at(-1).textContent = num(Math.round(v));
  }
  items.forEach((it, i) => {
    if (i > 0) {
      const prev = items[i - 1];
      kids.push(svg('line', { x1: x(i - 1).toFixed(1), y1: y(prev.total).toFixed(1), x2: x(i).toFixed(1),
        y2: y(it.total).toFixed(1), class: it.partial ? 'trend-line partial' : 'trend-line' }));
    }
  });
  items.forEach((it, i) => {
    const c = svg('circle', { cx: x(i).toFixed(1), cy: y(it.total).toFixed(1), r: 4.5,
      class: it.partial ? 'trend-point partial' : 'trend-point', 'data-period': it.period });
    const tip = svg('title');
    tip.textContent = `${it.period}: ${num(it.total)}${it.partial ? ` (${t('stats.trend.partial')})` : ''}`;
    c.append(tip);
    const label = svg('text', { x: x(i).toFixed(1), y: H - B + 18, 'text-anchor': 'middle', class: 'axis' });
    label.textContent = it.period;
    const val = svg('text', { x: x(i).toFixed(1), y: (y(it.total) - 9).toFixed(1), 'text-anchor': 'middle',
      class: 'value' });
    val.textContent = num(it.total);
    kids.push(c, label, val);
    if (it.partial) {
      const p = svg('text', { x: x(i).toFixed(1), y: H - B + 33, 'text-anchor': 'middle', class: 'axis partial' });
      p.textContent = `(${t('stats.trend.partial')})`;
      kids.push(p);
    }
  });
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'trend-chart',
    'aria-labelledby': 'stats-trend-h' }, ...kids);
}

// The children that are there (replaceChildren() would show null as text).
const present = (...kids) => kids.filter((k) => k !== null && k !== undefined && k !== false);

// yyyy-mm-dd of a date made in UTC.
const iso = (y, m, d) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

// The quick periods of the current year, as [from, to].
export function periods(day = today()) {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const q = Math.floor((m - 1) / 3);
  const half = m <= 6 ? 0 : 1;
  return {
    quarter: [iso(y, q * 3 + 1, 1), iso(y, q * 3 + 4, 0)],
    half: [iso(y, half * 6 + 1, 1), iso(y, half * 6 + 7, 0)],
    year: [iso(y, 1, 1), iso(y, 12, 31)],
    peak: [iso(y, 7, 1), iso(y, 9, 30)],
  };
}

// An element naming the category code of dimension dim (in Vietnamese
// where the UI has the name; the code otherwise).
function categoryLabel(dim, code, province) {
  if (code === 'unknown' || code === 'none') return h('span', { i18n: `stats.cat.${code}` });
  switch (dim) {
  case 'sex': return h('span', { i18n: pick(`person.sex.${code}`, 'stats.cat.unknown') });
  case 'age_band': case 'ethnic': case 'abroad':
    return h('span', { i18n: pick(`stats.cat.${dim}.${code}`, 'stats.cat.unknown') });
  case 'purpose': return h('span', { i18n: pick(`purpose.${code}`, 'stats.cat.unknown') });
  case 'article': return h('span', { i18n: pick(`case.article.${code}`, 'stats.cat.unknown') });
  case 'ethnicity': return refLater(ethnicGroups, code);
  case 'destination': return refLater(countries, code);
  case 'province': return refLater(provinces, code);
  case 'commune': return refLater(() => communes(province), code);
  default: return h('span', { text: code });
  }
}

// The age bands youngest first (the API gives categories in code order,
// which puts "under 16" last); unknown ones after them, in the API's order.
const AGE_BANDS = ['under_16', '16_17', '18_30', 'over_30'];
export function inOrder(dim, values) {
  if (dim !== 'age_band') return values;
  const rank = (c) => {
    const i = AGE_BANDS.indexOf(c);
    return i < 0 ? AGE_BANDS.length : i;
  };
  return [...values].sort((a, b) => rank(a.category) - rank(b.category));
}

// A bar of share (0..1) of the cell's width (set through CSSOM: the CSP
// allows no inline style attribute).
function bar(share) {
  const el = h('span', { class: 'bar' });
  el.style.width = `${(share * 100).toFixed(1)}%`;
  return el;
}

// A table of rows [{label (element), value}] with a bar each, scaled to
// the largest value.
function barTable({ caption, head, rows, cls }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return h('table', { class: `data bars ${cls ?? ''}` },
    h('caption', caption),
    h('thead', {}, h('tr', {}, head.map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-category': r.code },
      r.rank ? h('td', { class: 'num', text: String(r.rank) }) : null,
      h('th', { scope: 'row' }, r.label),
      h('td', { class: 'num', text: num(r.value) }),
      h('td', { class: 'bar-cell', 'aria-hidden': 'true' },
        bar(r.value / max))))));
}

export function render(ctx) {
  ctx.setTitle('stats.title');
  const user = ctx.user;
  const unit = user?.org_unit ?? {};
  const nation = unit.level === 'nation';
  let indicators = [];

  // --- the query form ---
  const indSel = h('select', { 'data-autofocus': true }, h('option', { value: '', i18n: 'loading' }));
  const indicator = field({ name: 'indicator', label: 'stats.indicator', control: indSel });
  const y = today().slice(0, 4);
  const from = field({ name: 'from', label: 'stats.from', type: 'date', attrs: { value: `${y}-01-01` } });
  const to = field({ name: 'to', label: 'stats.to', type: 'date', attrs: { value: today() } });
  const quick = h('div', { class: 'quick-periods', role: 'group', attrs: { 'aria-label': 'stats.quick' } },
    ['quarter', 'half', 'year', 'peak'].map((p) => h('button', { type: 'button', class: 'link-button',
      'data-period': p, i18n: `stats.period.${p}`, onclick: () => {
        const [f, e] = periods()[p];
        from.input.value = f;
        to.input.value = e;
      } })));
  const place = placePicker({
    province: { name: 'province', label: 'stats.place.province' },
    commune: { name: 'commune', label: 'stats.place.commune' },
    provinceEmpty: 'stats.place.nation', communeEmpty: 'stats.place.whole_province',
  });
  // Start at the user's own place (the API answers 403 beyond it).
  if (unit.level === 'province') place.set(unit.province_code, '');
  else if (unit.level === 'commune') place.set(unit.province_code, unit.admin_code);
  const bySel = h('select', {}, h('option', { value: '', i18n: 'stats.by.none' }));
  const by = field({ name: 'by', label: 'stats.by', control: bySel });
  const alert = alertBox();
  const out = h('div', { class: 'stats-out', 'aria-live': 'polite' });
  const form = h('form', { class: 'card stats-form', novalidate: true, 'aria-labelledby': 'stats-values-h' },
    h('h2', { id: 'stats-values-h', i18n: 'stats.values.title' }),
    alert.el,
    indicator.el,
    h('div', { class: 'row' }, from.el, to.el),
    quick,
    h('div', { class: 'row' }, place.province.el, place.commune.el),
    by.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', i18n: 'stats.submit' })),
    out);

  const current = () => indicators.find((x) => x.code === indSel.value);
  function fillBy() {
    const keep = bySel.value;
    bySel.replaceChildren(h('option', { value: '', i18n: 'stats.by.none' }),
      ...(current()?.dimensions ?? []).map((d) => h('option', { value: d, i18n: `stats.dim.${d}` })));
    bySel.value = keep;
    if (bySel.value !== keep) bySel.value = '';
  }
  indSel.addEventListener('change', fillBy);

  get('/api/stats/indicators').then((res) => {
    if (!ctx.current()) return;
    indicators = res.items ?? [];
    const groups = COUNTS.filter((c) => indicators.some((x) => x.counts === c))
      .concat([...new Set(indicators.map((x) => x.counts))].filter((c) => !COUNTS.includes(c)));
    indSel.replaceChildren(h('option', { value: '', i18n: 'stats.indicator.choose' }),
      ...groups.map((g) => {
        const og = h('optgroup', { 'data-counts': g });
        if (has(`stats.counts.${g}`)) {
          og.dataset.i18nAttr = `label:stats.counts.${g}`;
          og.label = t(`stats.counts.${g}`);
        } else og.label = g;
        og.append(...indicators.filter((x) => x.counts === g).map((x) => {
          // Relabelled by ref.js on a language switch.
          return bilingual(h('option', { value: x.code }), x.name_vi, x.name_en);
        }));
        return og;
      }));
    fillBy();
  }, (err) => {
    if (!ctx.current() || err.handled) return;
    indSel.replaceChildren(h('option', { value: '', i18n: 'stats.indicator.choose' }));
    alert.show(errorKey(err, 'stats'));
  });

  // The place asked for: { province } or { commune } or nothing (nation).
  function placeQuery() {
    const p = place.value();
    if (p.commune) return { commune: p.commune };
    if (p.province) return { province: p.province };
    return {};
  }

  function clearErrors() {
    alert.hide();
    for (const f of [indicator, from, to, place.province, place.commune, by]) f.error(null);
  }

  // Show err at its field, or above the form; 403 names the place.
  function showError(err) {
    if (err.handled) return;
    if (err.status === 403 && (err.field === 'commune' || err.field === 'province' || !err.field)) {
      alert.show('stats.error.place_forbidden');
      return;
    }
    const f = { indicator, from, to, province: place.province, commune: place.commune, by }[err.field];
    if (f) {
      f.error(pick(`stats.error.${err.field}`, errorKey(err, 'stats')));
      f.input.focus();
    } else alert.show(errorKey(err, 'stats'));
  }

  let seq = 0;
  async function loadValues() {
    const mine = ++seq;
    clearErrors();
    if (!indSel.value) {
      indicator.error('stats.error.indicator');
      indSel.focus();
      return;
    }
    out.setAttribute('aria-busy', 'true');
    const q = { indicator: indSel.value, from: from.input.value, to: to.input.value, ...placeQuery() };
    const dim = bySel.value;
    try {
      const r = await get(withQuery('/api/stats/values', { ...q, by: dim }));
      if (!ctx.current() || mine !== seq) return;
      // The KPIs and the trend of the same query once it is known good: a
      // query the server refuses is said once, at its field, not again by
      // each of them.
      loadKpis(q);
      loadTrend(q);
      const ind = current();
      const scopeProvince = r.scope?.level === 'province' ? r.scope.code : place.value().province;
      const rows = inOrder(r.by, r.values ?? []).map((v) => ({ code: v.category, value: v.value,
        label: categoryLabel(r.by, v.category, scopeProvince) }));
      const name = bilingual(h('span'), ind?.name_vi ?? r.indicator, ind?.name_en);
      out.replaceChildren(...present(
        h('div', { class: 'stats-total' },
          h('p', { class: 'stats-name' }, name),
          // The words in a span of their own: a language switch rewrites
          // them and keeps the place name next to them.
          h('p', { class: 'muted stats-scope' }, h('span', { i18n: `stats.scope.${r.scope?.level ?? 'nation'}`,
            args: { from: dmy(r.from), to: dmy(r.to) } }), ' ', r.scope?.level === 'commune'
            ? refLater(() => communes(place.value().province), r.scope.code)
            : r.scope?.level === 'province' ? refLater(provinces, r.scope.code) : null),
          h('p', {}, h('span', { i18n: 'stats.total' }), ' ',
            h('strong', { class: 'total', 'data-total': String(r.total), text: num(r.total) }))),
        r.by ? (rows.length ? barTable({ caption: { i18n: `stats.dim.${r.by}` },
          head: ['stats.col.category', 'stats.col.value', 'stats.col.bar'], rows, cls: 'stats-values' })
          : h('p', { i18n: 'stats.empty' })) : null,
        r.by && ['purpose', 'abroad', 'destination'].includes(r.by)
          ? h('p', { class: 'hint', i18n: 'stats.overlap' }) : null));
    } catch (err) {
      if (!ctx.current() || mine !== seq) return;
      out.replaceChildren();
      showError(err);
    } finally {
      if (mine === seq) out.removeAttribute('aria-busy');
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    loadValues();
  });

  // --- the KPI dashboard ---
  const kpiOut = h('div', { class: 'kpi-cards', 'aria-live': 'polite' });
  const kpiNote = h('p', { class: 'hint', i18n: 'stats.kpi.lead' });
  const kpiSection = h('section', { class: 'stats-kpi', 'aria-labelledby': 'stats-kpi-h' },
    h('h2', { id: 'stats-kpi-h', i18n: 'stats.kpi.title' }), kpiNote, kpiOut);

  function card(name, { count, of, rate, target, comparison, status }) {
    return h('article', { class: `card kpi-card light-${status}`, 'data-kpi': name },
      h('h3', { i18n: `stats.kpi.${name}` }),
      h('p', { class: 'kpi-rate', ...rateProps(rate) }),
      h('p', { class: 'kpi-count', i18n: 'stats.kpi.count', args: { count: String(count), of: String(of) } }),
      h('p', { class: 'kpi-target', i18n: `case.kpi.target.${comparison}`,
        args: { pct: String(Math.round(target * 100)) } }),
      h('p', { class: 'kpi-light' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), lightBadge(status)));
  }

  let kseq = 0;
  async function loadKpis(q) {
    const mine = ++kseq;
    // The intake KPIs are of the place chosen, as the statistics; the case
    // KPIs take a province (national users) or the user's own scope, a
    // commune being counted at its province for national users.
    const province = nation ? place.value().province : '';
    const kq = { from: q.from, to: q.to, province };
    kpiOut.setAttribute('aria-busy', 'true');
    const [ik, ck] = await Promise.allSettled([
      get(withQuery('/api/kpi/intakes', { from: q.from, to: q.to, ...placeQuery() })),
      get(withQuery('/api/kpi/cases', kq))]);
    if (!ctx.current() || mine !== kseq) return;
    kpiOut.removeAttribute('aria-busy');
    const cards = [];
    if (ik.status === 'fulfilled') {
      // Targets and lights are the server's, from the KPI catalogue.
      cards.push(card('classified', ik.value.kpi_classified), card('resolved', ik.value.kpi_resolved));
    }
    if (ck.status === 'fulfilled')
      for (const n of ['solved', 'indicted', 'tried']) cards.push(card(n, ck.value[n]));
    const failed = [ik, ck].find((x) => x.status === 'rejected');
    kpiOut.replaceChildren(...present(...cards, failed && !failed.reason.handled
      ? h('p', { class: 'field-error', role: 'alert', i18n: failed.reason.status === 403
        ? 'stats.error.place_forbidden' : errorKey(failed.reason, 'stats') }) : null));
  }

  // --- the provinces, ranked (national users) ---
  let rankSection = null;
  if (nation) {
    const rankOut = h('div', { class: 'rank-out', 'aria-live': 'polite' });
    const rankBtn = h('button', { type: 'button', class: 'primary', i18n: 'stats.rank.submit' });
    const progress = h('p', { class: 'muted', role: 'status' });
    rankSection = h('section', { class: 'card stats-rank', 'aria-labelledby': 'stats-rank-h' },
      h('h2', { id: 'stats-rank-h', i18n: 'stats.rank.title' }),
      h('p', { class: 'hint', i18n: 'stats.rank.lead' }),
      h('div', { class: 'actions' }, rankBtn), progress, rankOut);
    let rseq = 0;
    rankBtn.addEventListener('click', async () => {
      const mine = ++rseq;
      if (!indSel.value) {
        indicator.error('stats.error.indicator');
        indSel.focus();
        return;
      }
      rankBtn.disabled = true;
      rankOut.replaceChildren();
      const q = { indicator: indSel.value, from: from.input.value, to: to.input.value };
      try {
        const provs = await provinces();
        const results = [];
        let next = 0;
        let done = 0;
        setText(progress, 'stats.rank.progress', { done: '0', n: String(provs.length) });
        // RANK_CONCURRENCY workers take the provinces in turn.
        const worker = async () => {
          while (next < provs.length) {
            const p = provs[next++];
            const r = await get(withQuery('/api/stats/values', { ...q, province: p.code }));
            results.push({ code: p.code, value: r.total });
            done += 1;
            if (mine === rseq) setText(progress, 'stats.rank.progress', { done: String(done), n: String(provs.length) });
          }
        };
        await Promise.all(Array.from({ length: RANK_CONCURRENCY }, worker));
        if (!ctx.current() || mine !== rseq) return;
        results.sort((a, b) => b.value - a.value || a.code.localeCompare(b.code));
        let rank = 0;
        let last = null;
        results.forEach((r, i) => {
          if (r.value !== last) rank = i + 1;
          last = r.value;
          r.rank = rank;
          r.label = refLater(provinces, r.code, (n, p) => `${p.code} – ${n}`);
        });
        setText(progress, 'stats.rank.done', { n: String(results.length) });
        rankOut.replaceChildren(barTable({ caption: { i18n: 'stats.rank.caption', args: { from: dmy(q.from), to: dmy(q.to) } },
          head: ['stats.col.rank', 'stats.col.province', 'stats.col.value', 'stats.col.bar'], rows: results,
          cls: 'stats-rank-table' }));
      } catch (err) {
        if (!ctx.current() || mine !== rseq) return;
        progress.textContent = '';
        delete progress.dataset.i18n;
        showError(err);
      } finally {
        rankBtn.disabled = false;
      }
    });
  }

  // --- the trend over the last quarters ---
  const trendOut = h('div', { class: 'trend-out', 'aria-live': 'polite' },
    h('p', { class: 'hint', i18n: 'stats.trend.choose' }));
  const trendSection = h('section', { class: 'card stats-trend', 'aria-labelledby': 'stats-trend-h' },
    h('h2', { id: 'stats-trend-h', i18n: 'stats.trend.title', args: { n: TREND_QUARTERS } }),
    h('p', { class: 'hint', i18n: 'stats.trend.lead' }), trendOut);
  let tseq = 0;
  async function loadTrend(q) {
    const mine = ++tseq;
    const { indicator: ind, province, commune } = q;
    trendOut.setAttribute('aria-busy', 'true');
    try {
      const r = await get(withQuery('/api/stats/trend', { indicator: ind, period_type: 'quarter',
        count: TREND_QUARTERS, province, commune }));
      if (!ctx.current() || mine !== tseq) return;
      const items = r.items ?? [];
      trendOut.replaceChildren(trendChart(items),
        h('table', { class: 'data trend-table' },
          h('caption', { class: 'visually-hidden', i18n: 'stats.trend.title', args: { n: TREND_QUARTERS } }),
          h('thead', {}, h('tr', {}, ['stats.trend.col.period', 'stats.trend.col.dates', 'stats.col.value']
            .map((k) => h('th', { scope: 'col', i18n: k })))),
          h('tbody', {}, items.map((it) => h('tr', { 'data-period': it.period, class: it.partial ? 'partial' : null },
            h('th', { scope: 'row' }, h('span', { text: it.period }), it.partial
              ? h('span', { class: 'badge wait', i18n: 'stats.trend.partial' }) : null),
            h('td', { i18n: 'stats.trend.dates', args: { from: dmy(it.from), to: dmy(it.to) } }),
            h('td', { class: 'num', 'data-total': String(it.total), text: num(it.total) }))))));
    } catch (err) {
      if (!ctx.current() || mine !== tseq) return;
      // Not an alert: the query form above says the same error already.
      trendOut.replaceChildren(...present(err.handled ? null : h('p', { class: 'field-error',
        i18n: err.status === 403 ? 'stats.error.place_forbidden' : errorKey(err, 'stats') })));
    } finally {
      if (mine === tseq) trendOut.removeAttribute('aria-busy');
    }
  }

  loadKpis({ from: from.input.value, to: to.input.value });

  return h('div', { class: 'stats' },
    h('h1', { i18n: 'stats.title' }),
    h('p', { class: 'lead', i18n: 'stats.lead' }),
    form,
    kpiSection,
    rankSection,
    trendSection);
}
