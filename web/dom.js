// dom.js: building the page from keys. h() makes an element; text comes
// from i18n keys (i18n: 'key', args: {...}) or from data (text: '...'),
// never from HTML strings. Data that users or the reference lists wrote in
// Vietnamese (names of units, persons and places, free text) is given with
// vi: '...' instead of text: it gets lang="vi", so that a screen reader of
// the English UI reads it with Vietnamese pronunciation.
import { t, datetime } from './i18n.js';

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'vi') {
      el.textContent = String(v);
      el.lang = 'vi';
    } else if (k === 'i18n' || k === 'args') continue;
    else if (k === 'attrs') setAttrs(el, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value' && 'value' in el) el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden')
      el[k] = Boolean(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  if (props.i18n) setText(el, props.i18n, props.args);
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

// Give el attributes from keys: { 'aria-label': 'nav.label' }, or with
// values: { 'aria-label': ['users.reset_label', { username: 'lan' }] }
// (kept as data-i18n-attr and data-i18n-attr-args for a language switch).
export function setAttrs(el, attrs) {
  const pairs = Object.entries(attrs).map(([a, v]) => [a, ...(Array.isArray(v) ? v : [v])]);
  el.dataset.i18nAttr = pairs.map(([a, key]) => `${a}:${key}`).join(';');
  const withArgs = Object.fromEntries(pairs.filter(([, , args]) => args).map(([a, , args]) => [a, args]));
  if (Object.keys(withArgs).length) el.dataset.i18nAttrArgs = JSON.stringify(withArgs);
  else delete el.dataset.i18nAttrArgs;
  for (const [a, key, args] of pairs) el.setAttribute(a, t(key, args));
  return el;
}

// A <span lang="vi"> of Vietnamese data (a name, a place, typed text).
export const viText = (text, props = {}) => h('span', { ...props, vi: text ?? '' });

// The visible mark of a required field after its label: hidden from
// screen readers, which say "required" from the control itself (the
// form's legend, added by app.js, explains the mark).
export const requiredMark = () => h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' });

// Give el the text of key (kept as data-i18n, so a language switch relabels it).
export function setText(el, key, args) {
  el.dataset.i18n = key;
  if (args && Object.keys(args).length) el.dataset.i18nArgs = JSON.stringify(args);
  else delete el.dataset.i18nArgs;
  el.textContent = t(key, args);
  return el;
}

// A <time> showing iso in the current locale (relabelled on a switch).
export function time(iso) {
  const el = h('time', { datetime: iso, 'data-fmt': 'datetime' });
  el.textContent = datetime(iso);
  return el;
}

let seq = 0;
const uid = (base) => `${base}-${++seq}`;

// A labelled input with an optional hint and an error line, tied to the
// input by aria-describedby. Returns { el, input, error(key|null, args) }.
export function field({ name, label, type = 'text', hint, required, autocomplete, attrs = {}, control }) {
  const id = uid(`f-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  const input = control ?? h('input', { type, name, autocomplete, ...attrs });
  input.id = id;
  input.name = name;
  if (required) input.required = true;
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  const err = h('p', { id: errId, class: 'field-error', role: 'alert', hidden: true });
  const el = h('div', { class: 'field' },
    // The mark next to the label, not in it: the label stays the name.
    required ? h('span', { class: 'label-row' }, h('label', { for: id, i18n: label }), requiredMark())
      : h('label', { for: id, i18n: label }),
    input,
    hint ? h('p', { id: hintId, class: 'hint', i18n: hint }) : null,
    err);
  return {
    el,
    input,
    error(key, args) {
      if (key) {
        err.hidden = false;
        setText(err, key, args);
        input.setAttribute('aria-invalid', 'true');
      } else {
        err.textContent = '';
        delete err.dataset.i18n;
        err.hidden = true;
        input.removeAttribute('aria-invalid');
      }
    },
  };
}

// An alert box above a form for errors that belong to no single field.
export function alertBox() {
  const el = h('div', { class: 'alert', role: 'alert', hidden: true });
  return {
    el,
    show(key, args) {
      el.hidden = false;
      setText(el, key, args);
    },
    hide() {
      el.hidden = true;
      el.textContent = '';
      delete el.dataset.i18n;
    },
  };
}
