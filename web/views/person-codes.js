// person-codes.js: the codes of persons and their casework (docs/api.md,
// "Persons"), whose names are texts ("person.role.<code>", ...), and small
// helpers for dates and amounts. The reference lists (provinces, communes,
// ethnic groups, countries) come from the server: see ../ref.js.
import { lang } from '../i18n.js';

export const ROLES = ['under_identification', 'victim', 'accompanying_minor'];
export const STATUSES = ['received', 'verifying', 'identified', 'not_victim', 'protection', 'support',
  'reintegration', 'closed'];
export const SEXES = ['F', 'M', 'U'];
export const CITIZENSHIPS = ['vn_citizen', 'stateless_resident', 'foreigner'];
// Law 53/2024 Art. 32.1, points a to i ("dd" is đ).
export const EVIDENCE = ['a', 'b', 'c', 'd', 'dd', 'e', 'g', 'h', 'i'];
export const DOC_TYPES = ['procedural_conclusion', 'rescue_confirmation', 'mission_confirmation',
  'return_certificate', 'foreign_confirmation', 'police_confirmation', 'other'];
// The steps that need a reason.
export const REASON_STEPS = ['reject', 'close', 'reopen'];
// Law 53/2024 Art. 37.1, in the order of its points (the order the
// entitlements come in, too).
export const SUPPORTS = ['ESSENTIAL', 'MEDICAL', 'INTERPRETATION', 'LEGAL_COUNSEL', 'LEGAL_AID', 'TRAVEL',
  'PSYCHOLOGICAL', 'EDUCATION', 'VOCATIONAL', 'HARDSHIP'];
export const UNITS = ['day', 'kit', 'trip', 'once', 'year', 'school_year', 'course', 'loan', 'session', 'item'];
export const LOCATIONS = ['in_vn', 'abroad'];
export const CONSENT_SCOPES = ['data_processing', 'data_sharing', 'contact_family', 'media', 'research'];
export const GIVEN_BY = ['self', 'representative'];
export const PROTECTION_KINDS = ['identity_secrecy', 'residence_guard', 'escort', 'relocation', 'no_contact_order',
  'closed_trial', 'other'];
export const BENEFICIARIES = ['person', 'relative'];
export const OUTCOMES = ['stable', 'needs_support', 'at_risk', 'moved', 'unreachable'];
export const DISCOVERIES = ['rescued', 'self_returned', 'foreign_handover', 'reported', 'other'];
export const MEANS = ['online_ad', 'broker', 'acquaintance', 'relative', 'other', 'unknown'];
// Statuses in which the verification deadline still runs.
export const VERIFY_OPEN = ['received', 'verifying'];

// A legal basis as the reference data gives it (in English, e.g. "Law
// 53/2024 Art. 37.2; Decree 162/2025 Art. 17"), in Vietnamese words when
// the page is in Vietnamese.
export function basis(s) {
  if (!s || lang() === 'en') return s ?? '';
  return s.replace(/\bLaw on Legal Aid\b/g, 'Luật Trợ giúp pháp lý')
    .replace(/\bLaw\b/g, 'Luật').replace(/\bDecree\b/g, 'Nghị định').replace(/\bArt\.\s*/g, 'Điều ')
    .replace(/\(added by /g, '(bổ sung bởi ').replace(/\(article not identified\)/g, '(chưa xác định điều)');
}

// Today as yyyy-mm-dd, local time.
export function today(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A number of VND as "1.500.000 ₫" (vi) or "1,500,000 ₫" (en).
export function vnd(n) {
  return `${Number(n ?? 0).toLocaleString(lang() === 'en' ? 'en-GB' : 'vi-VN')} ₫`;
}

// The reason typed on the persons page, offered again on a person's page
// (province users: reading a record outside their unit needs one).
let reason = '';
export function lastReason(r) {
  if (r !== undefined) reason = r;
  return reason;
}
