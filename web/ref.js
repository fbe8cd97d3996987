// ref.js: the reference lists the pickers need, from the server
// (GET /api/ref/provinces, /api/ref/communes?province=NN,
// /api/ref/ethnic-groups, /api/ref/countries: {"items": [{"code", "name",
// "name_en"}]}), each asked for once and kept in memory for the session.
// Names are Vietnamese in vi and English in en; an element made by
// refText()/refOption() is relabelled when the language is switched.
import { get } from './api.js';
import { lang } from './i18n.js';

const cache = new Map(); // path -> Promise of the items

// The items of path, asked for once; a failure is not kept, so that the
// next call asks again.
function list(path) {
  let p = cache.get(path);
  if (!p) {
    p = get(path).then((r) => r?.items ?? []);
    cache.set(path, p);
    p.catch(() => {
      if (cache.get(path) === p) cache.delete(path);
    });
  }
  return p;
}

export const provinces = () => list('/api/ref/provinces');
export const ethnicGroups = () => list('/api/ref/ethnic-groups');
export const countries = () => list('/api/ref/countries');
// The communes of a province (a 2-digit code); none for anything else.
export const communes = (province) => (/^\d{2}$/.test(province ?? '')
  ? list(`/api/ref/communes?province=${province}`) : Promise.resolve([]));

// The name of item in the current language (the Vietnamese one when there
// is no English one).
export function refName(item, l = lang()) {
  if (!item) return '';
  return (l === 'en' ? item.name_en : null) || item.name || item.code;
}

// The item of code in items, or null.
export const find = (items, code) => items?.find((x) => x.code === code) ?? null;

// items sorted by name in the current language (pickers read better so),
// or by key(name, item) when given.
export function byName(items, key = (n) => n) {
  const l = lang();
  const coll = new Intl.Collator(l === 'en' ? 'en' : 'vi');
  const k = new Map(items.map((x) => [x, key(refName(x, l), x, l)]));
  return [...items].sort((a, b) => coll.compare(k.get(a), k.get(b)));
}

// Show on el the text of the current language of its data-ref-vi and
// data-ref-en, with lang="vi" when the text shown is Vietnamese (always in
// vi; in en when there is no English text: data-ref-en-vi).
function show(el) {
  const en = lang() === 'en';
  el.textContent = en ? el.dataset.refEn : el.dataset.refVi;
  if (!en || el.dataset.refEnVi !== undefined) el.lang = 'vi';
  else el.removeAttribute('lang');
}

// Give el the texts vi and en (the Vietnamese one when en is empty), so
// that a switch of language relabels it.
export function bilingual(el, vi, en) {
  el.dataset.refVi = vi ?? '';
  el.dataset.refEn = en || vi || '';
  if (en) delete el.dataset.refEnVi;
  else el.dataset.refEnVi = '';
  show(el);
  return el;
}

// Give el the name of item, formatted by fmt(name, item, lang) (e.g.
// "01 – Hà Nội"), in both languages, so a switch of language relabels it.
function label(el, item, fmt = (n) => n) {
  bilingual(el, fmt(refName(item, 'vi'), item, 'vi'), item.name_en ? fmt(refName(item, 'en'), item, 'en') : null);
  return el;
}

// A <span> with the name of item (the bare code when item is unknown).
export function refText(item, code, fmt) {
  const el = document.createElement('span');
  if (!item) {
    el.textContent = code ?? '';
    return el;
  }
  return label(el, item, fmt);
}

// A <span> showing code until the list load() resolves with is there, then
// the name of code in it (formatted by fmt, as for label()); the code stays
// when the list does not know it or cannot be had.
export function refLater(load, code, fmt) {
  const el = document.createElement('span');
  el.textContent = code ?? '';
  if (code)
    load().then((items) => {
      const item = find(items, code);
      if (item) label(el, item, fmt);
    }, () => {});
  return el;
}

// A <span> naming a place, "01 – Hà Nội / Phường Ba Đình (00004)": the
// codes until the names are there (and when they cannot be had).
export function placeText(province, commune) {
  const el = document.createElement('span');
  el.className = 'place';
  if (province) el.append(refLater(provinces, province, (n, x) => `${x.code} – ${n}`));
  if (province && commune) el.append(' / ');
  if (commune) el.append(refLater(() => communes(province), commune, (n, x) => `${n} (${x.code})`));
  return el;
}

// An <option> for item, its value the code.
export function refOption(item, fmt) {
  const el = document.createElement('option');
  el.value = item.code;
  return label(el, item, fmt);
}

// Append to sel an option per item of the list load() resolves with, in
// order (fmt formats the text, as for label()); a value given with choose()
// while the list is on its way is selected once it is there. Resolves with
// the items ([] when the list could not be loaded; onError(err) is told).
export function fillSelect(sel, load, { fmt, onError } = {}) {
  sel.dataset.want = sel.value;
  sel.setAttribute('aria-busy', 'true');
  return load().then((items) => {
    sel.append(...items.map((x) => refOption(x, fmt)));
    return items;
  }, (err) => {
    onError?.(err);
    return [];
  }).finally(() => {
    const want = sel.dataset.want;
    delete sel.dataset.want;
    sel.removeAttribute('aria-busy');
    choose(sel, want);
  });
}

// Select code in sel, now or once fillSelect() has filled it; a code the
// list does not know gets an option of its own (so nothing is lost).
export function choose(sel, code) {
  if (sel.dataset.want !== undefined) sel.dataset.want = code ?? '';
  sel.value = code ?? '';
  if (code && sel.value !== code && sel.dataset.want === undefined) {
    const o = document.createElement('option');
    o.value = code;
    o.textContent = code;
    sel.append(o);
    sel.value = code;
  }
}

// Relabel on a language switch (i18n.js says so with "ctip:lang").
document.addEventListener('ctip:lang', () => {
  for (const el of document.querySelectorAll('[data-ref-vi]')) show(el);
});
