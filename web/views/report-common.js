// report-common.js: what the periodic report pages share: texts that are
// data in two languages, the status badge of a report, and the periods of
// a form (keys "2026-Q1", "2026-H1", "2026", "2026-peak") with the one to
// start at: the latest whose end has passed.
import { h } from '../dom.js';
import { lang } from '../i18n.js';
import { bilingual } from '../ref.js';
import { today } from './cases.js';

// A span showing vi or en by the language (relabelled by ref.js on a switch).
export function bi(vi, en, tag = 'span', props = {}) {
  return bilingual(h(tag, props), vi, en);
}

// The English name of the nation: the place VN of a report comes with its
// Vietnamese name only ("Nước Cộng hòa xã hội chủ nghĩa Việt Nam").
export const NATION_EN = 'Viet Nam';

// The name of a report's place ({code, name[, name_en]}) in the language.
export function placeName(place, tag = 'span', props = {}) {
  const en = place?.code === 'VN' ? NATION_EN : place?.name_en;
  return bi(place?.name ?? '', en, tag, props);
}

// The name of a form in a reminder ({form, form_name_vi, form_name_en}) in
// the language l.
export function formName(r, l = lang()) {
  return (l === 'en' ? r?.form_name_en : null) || r?.form_name_vi || r?.form || '';
}

// Badge colours of the shared style sheet for each report status.
const STATUS_TONE = { draft: 'off', submitted: 'wait', approved: 'on', returned: 'urg-critical', missing: 'off' };

export function statusBadge(status) {
  return h('span', { class: `badge report-status status-${status} ${STATUS_TONE[status] ?? ''}`,
    'data-status': status, i18n: `report.status.${status}` });
}

const TIME_TONE = { on_time: 'on', late: 'wait', overdue: 'due-overdue', pending: 'off' };

export function timelinessBadge(t) {
  return h('span', { class: `badge timeliness-${t} ${TIME_TONE[t] ?? ''}`, 'data-timeliness': t,
    i18n: `report.timeliness.${t}` });
}

// The statistical periods end on the 14th of their last month (the peak
// period on 30 September): the last day of a period key, yyyy-mm-dd.
export function periodEnd(key) {
  const m = /^(\d{4})(?:-(Q[1-4]|H[12]|peak))?$/.exec(key);
  if (!m) return '';
  const y = m[1];
  const p = m[2];
  if (!p) return `${y}-12-14`;
  if (p === 'peak') return `${y}-09-30`;
  const month = p[0] === 'Q' ? Number(p[1]) * 3 : Number(p[1]) * 6;
  return `${y}-${String(month).padStart(2, '0')}-14`;
}

// The periods of type for this year and the two before, latest first.
export function periodKeys(type, day = today()) {
  const y = Number(day.slice(0, 4));
  const keys = [];
  for (let year = y; year >= y - 2; year--) {
    if (type === 'quarter') keys.push(...['Q4', 'Q3', 'Q2', 'Q1'].map((q) => `${year}-${q}`));
    else if (type === 'half_year') keys.push(`${year}-H2`, `${year}-H1`);
    else if (type === 'peak') keys.push(`${year}-peak`);
    else keys.push(String(year));
  }
  return keys;
}

// The latest period of type whose end has passed.
export function defaultPeriod(type, day = today()) {
  return periodKeys(type, day).find((k) => periodEnd(k) < day) ?? periodKeys(type, day).at(-1);
}

// The words of a period key: { key, args } for setText / h(i18n).
export function periodText(key) {
  const m = /^(\d{4})(?:-(Q[1-4]|H[12]|peak))?$/.exec(key ?? '');
  if (!m) return { key: 'report.period.other', args: { key: key ?? '' } };
  if (!m[2]) return { key: 'report.period.year', args: { year: m[1] } };
  if (m[2] === 'peak') return { key: 'report.period.peak', args: { year: m[1] } };
  if (m[2][0] === 'H') return { key: `report.period.${m[2]}`, args: { year: m[1] } };
  return { key: 'report.period.Q', args: { n: m[2][1], year: m[1] } };
}

// The address of a report page with its query.
export function reportHref(path, { form, period, place, province, id } = {}) {
  const q = new URLSearchParams();
  if (id) q.set('id', String(id));
  if (form) q.set('form', form);
  if (period) q.set('period', period);
  if (place) q.set('place', place);
  if (province) q.set('province', province);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

// The query of the address: #/reports/view?form=...&period=...
export function hashQuery(hash = location.hash) {
  const i = hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
}

// The levels whose forms a user of level may open: its own and those below
// (a national user sees the communes' completeness a province at a time;
// only the forms of its own level are reports of its own).
export const LEVELS_FOR = {
  commune: ['commune'],
  province: ['province', 'commune'],
  nation: ['nation', 'province', 'commune'],
};
