// i18n.js: Vietnamese first, English as the second locale. Texts live in
// /i18n/<lang>.json; elements carry data-i18n="key".
const KEY = 'ctip.lang';
let texts = {};

export function lang() {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';
}

export async function load(l = lang()) {
  const r = await fetch(`/i18n/${l}.json`);
  texts = await r.json();
  document.documentElement.lang = l;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const t = texts[el.dataset.i18n];
    if (t !== undefined) el.textContent = t;
  }
}

export function t(key, vars = {}) {
  const s = texts[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

export async function toggle() {
  localStorage.setItem(KEY, lang() === 'vi' ? 'en' : 'vi');
  await load();
}
