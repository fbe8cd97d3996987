// kpi.js: what the case KPI table and the statistics dashboard share: a
// rate as a Vietnamese percentage, and the traffic light of a status
// (green, amber, red, none) as a badge whose words say the state, so that
// it is not told by colour only.
import { h } from '../dom.js';
import { lang } from '../i18n.js';

// Badge colours of the shared style sheet for each status.
export const LIGHT_TONE = { green: 'on', amber: 'wait', red: 'urg-critical', none: 'off' };

// 0.9 -> "90,0 %" (in English "90.0 %", the separator of the locale, as
// num() of i18n.js); null -> "—".
export const percent = (x) => (x === null || x === undefined ? '—'
  : `${(x * 100).toLocaleString(lang() === 'en' ? 'en-GB' : 'vi-VN',
    { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`);

// The props of an element showing rate x: its text, and data-rate so that
// a language switch writes it again with the locale's separator.
export const rateProps = (x) => ({ 'data-rate': x ?? null, text: percent(x) });

document.addEventListener('ctip:lang', () => {
  for (const el of document.querySelectorAll('[data-rate]')) el.textContent = percent(Number(el.dataset.rate));
});

// The badge of status, its words from case.kpi.status.<status>.
export function lightBadge(status) {
  return h('span', { class: `badge light-${status} ${LIGHT_TONE[status] ?? ''}`, i18n: `case.kpi.status.${status}` });
}
