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

// The status of count of whole against target (a share, 0..1) as the case
// KPI endpoint computes it, in integers (so 9 of 10 is exactly 90%):
// comparison 'above' needs more than the target, 'at_least' the target;
// amber within 10 percentage points below it, red further, none without a
// whole.
export function lightOf(count, whole, target, comparison) {
  if (!whole) return 'none';
  const c = count * 100;
  const t = Math.round(target * 100) * whole;
  if (comparison === 'above' ? c > t : c >= t) return 'green';
  return c >= t - 10 * whole ? 'amber' : 'red';
}
