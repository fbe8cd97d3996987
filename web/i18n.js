// i18n.js: Vietnamese first, English as the second locale. Texts live in
// /i18n/<lang>.json. Elements carry their text as keys, so that switching
// the language relabels the page in place (typed input is kept):
//   data-i18n="key" (textContent), data-i18n-args='{"n":5}' (values),
//   data-i18n-attr="aria-label:key;title:key" (attributes),
//   <time datetime="..." data-fmt="datetime"> (dates, formatted per locale).
// After a switch, document gets a "ctip:lang" event (for texts that are
// data, not keys: ref.js relabels place and country names).
const KEY = 'ctip.lang';
let texts = {};
let chosen = null; // the choice when localStorage is unavailable

export function lang() {
  try {
    chosen = localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';
  } catch {
    chosen ??= 'vi';
  }
  return chosen;
}

const locale = () => (lang() === 'en' ? 'en-GB' : 'vi-VN');

export function num(n) {
  return Number(n).toLocaleString(locale());
}

// A timestamp in local time as dd/mm/yyyy hh:mm:ss, the usual form in
// Vietnamese offices (kept in English too, to avoid month/day confusion).
export function datetime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? '');
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} `
    + `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// A date yyyy-mm-dd as dd/mm/yyyy, the same form (anything else as it is).
export function dmy(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (date ?? '');
}

export function has(key) {
  return Object.hasOwn(texts, key);
}

// The text of key with vars put in. A count of one takes "<key>_one" when
// the language has it (English: "1 person", "{n} persons"; Vietnamese has
// no plural, so vi.json has none): the count is the first of {n}, {days},
// {count} that the text of key names, given as a number or a string.
export function t(key, vars = {}) {
  vars ??= {};
  let s = texts[key] ?? key;
  const one = texts[`${key}_one`];
  if (one !== undefined) {
    const c = ['n', 'days', 'count'].find((k) => s.includes(`{${k}}`));
    if (c && String(vars[c]) === '1') s = one;
  }
  return s.replace(/\{(\w+)\}/g, (_, k) => {
    const v = vars[k];
    if (typeof v === 'number') return num(v);
    return String(v ?? '');
  });
}

// The first of keys that has a text (the last one otherwise).
export function pick(...keys) {
  return keys.find(has) ?? keys[keys.length - 1];
}

export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const args = el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : {};
    el.textContent = t(el.dataset.i18n, args);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]'))
  {
    const args = el.dataset.i18nAttrArgs ? JSON.parse(el.dataset.i18nAttrArgs) : {};
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key, args[attr]));
    }
  }
  for (const el of root.querySelectorAll('time[data-fmt="datetime"]'))
    el.textContent = datetime(el.dateTime);
}

export async function load(l = lang()) {
  const r = await fetch(`/i18n/${l}.json`, { credentials: 'same-origin' });
  texts = await r.json();
  document.documentElement.lang = l;
  apply(document);
  // For texts that are data rather than keys (ref.js: place names...).
  document.dispatchEvent(new CustomEvent('ctip:lang', { detail: l }));
}

export async function toggle() {
  const next = lang() === 'vi' ? 'en' : 'vi';
  try {
    localStorage.setItem(KEY, next);
  } catch {
    chosen = next; // no storage: the choice lasts for this page only
  }
  await load(next);
}
