// kpi.js: what the case KPI table and the statistics dashboard share: a
// rate as a Vietnamese percentage, and the traffic light of a status
// (green, amber, red, none) as a badge whose words say the state, so that
// it is not told by colour only.
import { h } from '../dom.js';

// Badge colours of the shared style sheet for each status.
export const LIGHT_TONE = { green: 'on', amber: 'wait', red: 'urg-critical', none: 'off' };

// 0.9 -> "90,0 %"; null -> "—".
export const percent = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1).replace('.', ',')} %`);

// The badge of status, its words from case.kpi.status.<status>.
export function lightBadge(status) {
  return h('span', { class: `badge light-${status} ${LIGHT_TONE[status] ?? ''}`, i18n: `case.kpi.status.${status}` });
}
