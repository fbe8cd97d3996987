// dom.js: building the page from keys. h() makes an element; text comes
// from i18n keys (i18n: 'key', args: {...}) or from data (text: '...'),
// never from HTML strings.
import { t, datetime } from './i18n.js';

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'i18n' || k === 'args') continue;
    else if (k === 'attrs') {
      // attributes from keys: { 'aria-label': 'nav.label' }
      el.dataset.i18nAttr = Object.entries(v).map(([a, key]) => `${a}:${key}`).join(';');
      for (const [a, key] of Object.entries(v)) el.setAttribute(a, t(key));
    } else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
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
    h('label', { for: id, i18n: label }),
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
