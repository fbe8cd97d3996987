// plan-common.js: what the plan pages share (plans.js, plan-import.js,
// plan-detail.js): who sees plans, the level of a place code, a task's
// timing in words, the status badge of a task, sections in document order
// with their depth.
import { dmy } from '../i18n.js';
import { h } from '../dom.js';

// Every signed-in role except administrators and auditors reads plans;
// supervisors and statisticians create, import and cascade them; these
// report progress (for a unit named on the task).
export const PLAN_ROLES = ['hotline_operator', 'case_worker', 'investigator', 'procurator', 'judge',
  'statistician', 'supervisor'];
export const PLAN_WRITE_ROLES = ['supervisor', 'statistician'];
export const PROGRESS_ROLES = ['supervisor', 'statistician', 'case_worker', 'investigator'];
export const STATUSES = ['not_started', 'in_progress', 'done', 'cannot_do'];
export const TIMING_KINDS = ['once', 'continuous', 'yearly', 'half_year', 'year'];

export const holds = (user, roles) => roles.some((r) => user?.roles?.includes(r));

// 'VN' nation, two digits a province, five a commune.
export function levelOf(code) {
  if (code === 'VN') return 'nation';
  return /^\d{2}$/.test(code ?? '') ? 'province' : 'commune';
}
const RANK = { nation: 0, province: 1, commune: 2 };

// Whether a plan of place code is of a level above the user's place, and
// on its way up (the nation's; the user's province's for a commune).
export function above(user, code) {
  const unit = user?.org_unit ?? {};
  const mine = unit.level ?? levelOf(unit.admin_code);
  const theirs = levelOf(code);
  if (RANK[theirs] >= RANK[mine]) return false;
  return theirs === 'nation' || code === unit.province_code;
}

// yyyy-mm-dd of today in Viet Nam.
export function todayVn() {
  return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
}

// The words of a timing: { key, args } for h(i18n).
export function timingText(timing) {
  if (!timing?.kind) return { key: 'plan.timing.none', args: {} };
  const md = (s) => (/^\d{2}-\d{2}$/.test(s ?? '') ? `${s.slice(3)}/${s.slice(0, 2)}` : (s ?? ''));
  switch (timing.kind) {
  case 'once': return { key: 'plan.timing.once_on', args: { date: dmy(timing.due_on) } };
  case 'yearly': return { key: 'plan.timing.yearly_from', args: { from: md(timing.from), to: md(timing.to) } };
  default: return { key: `plan.timing.${timing.kind}`, args: {} };
  }
}

const TONE = { not_started: 'off', in_progress: 'wait', done: 'on', cannot_do: 'urg-critical' };

export function statusBadge(status) {
  return h('span', { class: `badge plan-status status-${status} ${TONE[status] ?? ''}`, 'data-status': status,
    i18n: `plan.status.${status}` });
}

export function overdueBadge() {
  return h('span', { class: 'badge due-overdue plan-overdue', i18n: 'plan.status.overdue' });
}

// Sections in document order with their depth: [{ s, depth }]. keyOf and
// parentOf read a section's own key and its parent's.
export function orderSections(sections, keyOf, parentOf) {
  const kids = new Map();
  for (const s of sections) {
    const p = parentOf(s) ?? null;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(s);
  }
  const out = [];
  const seen = new Set();
  const walk = (p, depth) => {
    for (const s of kids.get(p) ?? []) {
      if (seen.has(keyOf(s))) continue;
      seen.add(keyOf(s));
      out.push({ s, depth });
      walk(keyOf(s), depth + 1);
    }
  };
  walk(null, 0);
  // Sections whose parent is unknown: at the end, at the top level.
  for (const s of sections) if (!seen.has(keyOf(s))) out.push({ s, depth: 0 });
  return out;
}
