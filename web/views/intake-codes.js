// intake-codes.js: the codes of intakes (docs/api.md, "Intakes"); their
// names are texts ("channel.<code>", "purpose.<code>", "intake.urgency.<u>"...).

// data/intake-channels.csv, in its order.
export const CHANNELS = [
  'HOTLINE_111', 'WALK_IN', 'LETTER', 'ONLINE', 'CROSS_BORDER_HOTLINE', 'PHONE_OTHER',
  'DENUNCIATION', 'CRIME_REPORT', 'PROSECUTION_RECOMMENDATION', 'HANDOVER_FOREIGN', 'PRESS', 'OTHER',
];

// data/purposes.csv: groups (a top-level code and its sub-codes).
export const PURPOSES = [
  ['MONEY', ['MONEY.CHILD_SALE']],
  ['SEX', ['SEX.PROSTITUTION', 'SEX.PORNOGRAPHY', 'SEX.PORN_PERFORMANCE', 'SEX.SEXUAL_SERVITUDE']],
  ['LABOUR', ['LABOUR.FORCED_CRIMINALITY', 'LABOUR.BEGGING', 'LABOUR.DOMESTIC', 'LABOUR.FISHING',
    'LABOUR.MANUFACTURING', 'LABOUR.AGRICULTURE', 'LABOUR.CONSTRUCTION_MINING', 'LABOUR.SERVICES']],
  ['ORGAN', ['ORGAN.KIDNEY', 'ORGAN.OTHER']],
  ['OTHER', ['OTHER.FORCED_MARRIAGE', 'OTHER.FORCED_CHILDBEARING', 'OTHER.SURROGACY', 'OTHER.ADOPTION']],
  ['UNKNOWN', []],
];

// In order: Alt+1 is the first.
export const URGENCIES = ['low', 'normal', 'high', 'critical'];

export const CLASSIFICATIONS = ['trafficking_tip', 'victim_help', 'information', 'other'];

export const STATUSES = ['received', 'classified', 'resolved'];

// Languages a caller may speak (ISO 639; hmn: Hmong).
export const LANGUAGES = ['vi', 'hmn', 'en', 'zh', 'km', 'lo', 'th', 'ko', 'ja', 'ms'];
