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

// The rules the server states in fixed words (src/core: intake.c,
// referral.c, casework.c), each told in the user's language: [the
// message, the text key, the text's values from the match]. A field's
// name may lead the message ("kind: ...").
const RULES = [
  [/^intake \d+ is already resolved$/, 'error.state.intake_resolved'],
  [/^intake \d+ is already decided$/, 'error.state.intake_decided'],
  [/^intake \d+ is not a tip: no legal deadline to extend$/, 'error.state.intake_no_deadline'],
  [/^intake \d+ is not a tip: resolve it instead$/, 'error.state.intake_not_tip'],
  [/^intake \d+ is not classified: classify it first$/, 'error.state.intake_unclassified'],
  [/^intake \d+ is a tip: it ends with a decision$/, 'error.state.intake_tip'],
  [/^(?:kind: )?already extended as complex$/, 'error.state.extend_complex'],
  [/^(?:kind: )?the procuracy extends once, after the complex-case extension$/, 'error.state.extend_procuracy'],
  [/^(?:kind: )?the deadline ended at (\S+); a deadline is extended before it ends$/, 'error.state.extend_ended',
    (m) => ({ at: datetime(m[1]) })],
  [/^this record is already referred to that unit \(referral (\d+)\)$/, 'error.state.referral_open',
    (m) => ({ id: m[1] })],
  [/^referral \d+ is (\w+), not waiting for an answer$/, 'error.state.referral_answered',
    (m) => ({ status: label('referrals.status', m[1]) })],
  [/^referral \d+ is (\w+): only an accepted referral can be completed$/, 'error.state.referral_not_accepted',
    (m) => ({ status: label('referrals.status', m[1]) })],
  [/^referral \d+ is already (\w+)$/, 'error.state.referral_closed',
    (m) => ({ status: label('referrals.status', m[1]) })],
  [/^(?:step: )?an accompanying minor is not verified, identified or rejected\b/, 'error.state.minor_step'],
  [/^(?:step: )?"(\w+)" is not allowed while the person is (\w+)$/, 'error.state.person_step',
    (m) => ({ step: label('person.step.name', m[1]), status: label('person.status', m[2]) })],
  [/^the consent was withdrawn on (\S+) already$/, 'error.state.consent_withdrawn', (m) => ({ on: dmy(m[1]) })],
  [/^the measure ended on (\S+) already$/, 'error.state.measure_ended', (m) => ({ on: dmy(m[1]) })],
  [/^the visit was recorded on (\S+) already$/, 'error.state.visit_done', (m) => ({ on: dmy(m[1]) })],
];

// A 409 refusing the action in the record's current state (a conflict
// that is not a stale version, or a refused transition) as { key, args,
// field }: a known rule's text, else other (the general one by default);
// null for anything else (a stale version, another status or code).
export function stateError(err, other = 'error.state.other') {
  if (err?.status !== 409 || !['conflict', 'transition_refused'].includes(err.code) || isStale(err)) return null;
  const message = err.message ?? '';
  for (const [re, key, args] of RULES) {
    const m = re.exec(message);
    if (m) return { key, args: args ? args(m) : {}, field: err.field ?? null };
  }
  return { key: other, args: {}, field: err.field ?? null };
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
