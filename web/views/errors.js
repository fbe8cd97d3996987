// errors.js: the text key for an API error: a page-specific text
// ("<page>.error.<code>") when there is one, else the general "error.<code>";
// and what a 409 means (isStale, stateError, showConflict).
import { pick, has, t, dmy, datetime } from '../i18n.js';

export function errorKey(e, page) {
  const code = e?.code ?? 'internal';
  return pick(...(page ? [`${page}.error.${code}`] : []), `error.${code}`, 'error.internal');
}

// A 409 says one of two things. Someone else changed the record since the
// page loaded it: a stale version, a conflict naming the field "version".
// Or the action is not allowed in the record's current state, whatever the
// version: a rule ("the procuracy extends once, after the complex-case
// extension"), which reloading does not cure.
export function isStale(err) {
  return err?.status === 409 && err.code === 'conflict' && err.field === 'version';
}

const label = (prefix, code) => (has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code);

// The values a rule's text names, read from the server's message: [what
// finds them, the text's values from the match]. The rule itself is the
// problem's "rule" (src/core: intake.c, referral.c, casework.c), told by
// the text "error.state.<rule>".
const VALUES = {
  extend_ended: [/the deadline ended at (\S+);/, (m) => ({ at: datetime(m[1]) })],
  referral_open: [/\(referral (\d+)\)$/, (m) => ({ id: m[1] })],
  referral_answered: [/^referral \d+ is (\w+),/, (m) => ({ status: label('referrals.status', m[1]) })],
  referral_not_accepted: [/^referral \d+ is (\w+):/, (m) => ({ status: label('referrals.status', m[1]) })],
  referral_closed: [/^referral \d+ is already (\w+)$/, (m) => ({ status: label('referrals.status', m[1]) })],
  person_step: [/"(\w+)" is not allowed while the person is (\w+)$/,
    (m) => ({ step: label('person.step.name', m[1]), status: label('person.status', m[2]) })],
  consent_withdrawn: [/withdrawn on (\S+) already$/, (m) => ({ on: dmy(m[1]) })],
  measure_ended: [/ended on (\S+) already$/, (m) => ({ on: dmy(m[1]) })],
  visit_done: [/recorded on (\S+) already$/, (m) => ({ on: dmy(m[1]) })],
};

// A 409 refusing the action in the record's current state (a conflict
// that is not a stale version, or a refused transition) as { key, args,
// field }: its rule's text, else other (the general one by default);
// null for anything else (a stale version, another status or code).
export function stateError(err, other = 'error.state.other') {
  if (err?.status !== 409 || !['conflict', 'transition_refused'].includes(err.code) || isStale(err)) return null;
  const field = err.field ?? null;
  const key = `error.state.${err.rule}`;
  if (!err.rule || !has(key)) return { key: other, args: {}, field };
  const values = VALUES[err.rule];
  if (!values) return { key, args: {}, field };
  const m = values[0].exec(err.message ?? '');
  return m ? { key, args: values[1](m), field } : { key: other, args: {}, field };
}

// Say a 409 on a form: a stale version in alert (the text stale), a rule
// next to the field it names when fields has it (focused), else in alert.
// other: the text of an unknown rule. True when err was such a 409.
export function showConflict(err, { alert, fields = {}, stale = 'error.conflict', other } = {}) {
  if (isStale(err)) {
    alert.show(stale);
    return true;
  }
  const s = stateError(err, other);
  if (!s) return false;
  const f = s.field ? fields[s.field] : null;
  if (f) {
    f.error(s.key, s.args);
    f.input?.focus();
  } else alert.show(s.key, s.args);
  return true;
}
