// roles.js: the roles of ctip (src/core/account.c), in display order.
export const ROLES = [
  'hotline_operator', 'case_worker', 'investigator', 'procurator', 'judge',
  'statistician', 'supervisor', 'administrator', 'auditor',
];

// The role names of a user, in display order, as text keys.
export function roleKeys(roles = []) {
  const known = ROLES.filter((r) => roles.includes(r));
  const other = roles.filter((r) => !ROLES.includes(r));
  return [...known, ...other].map((r) => `role.${r}`);
}
