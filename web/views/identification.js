// identification.js: how a person was identified as a victim — the
// evidence of Law 53/2024 Art. 32.1 and the confirming document of Art. 33.
// The identify step's form asks for it, and so does registering a person
// who was identified before (role "victim").
import { h, field, setText } from '../dom.js';
import { EVIDENCE, DOC_TYPES } from './person-codes.js';

const opt = (value, key) => h('option', { value, i18n: key });

// The two fieldsets (els) and their fields, named as the server names them
// after prefix ("" for a step, "identification." for a registration);
// read() gives {evidence, document}, or null after saying at the first
// field what is missing.
export function identificationFields(prefix = '') {
  const errId = `${prefix.replace(/\W/g, '-')}evidence-err`;
  const evErr = h('p', { id: errId, class: 'field-error', role: 'alert', hidden: true });
  const fields = {};
  const boxes = EVIDENCE.map((c) => {
    const bid = `${prefix.replace(/\W/g, '-')}ev-${c}`;
    const box = h('input', { type: 'checkbox', id: bid, value: c });
    box.addEventListener('change', () => fields[`${prefix}evidence`].error(null));
    return { c, box, bid };
  });
  const evidence = h('fieldset', { class: 'group evidence', 'aria-describedby': errId },
    h('legend', { i18n: 'person.identify.evidence' }),
    h('p', { class: 'hint', i18n: 'person.identify.evidence_hint' }),
    boxes.map(({ c, box, bid }) => h('div', { class: 'check' }, box,
      h('label', { for: bid, i18n: `person.evidence.${c}` }))),
    evErr);
  const name = (n) => `${prefix}document.${n}`;
  const docType = field({ name: name('type'), label: 'person.identify.doc_type', required: true,
    control: h('select', {}, opt('', 'person.choose'), DOC_TYPES.map((c) => opt(c, `person.doc.${c}`))) });
  const issuer = field({ name: name('issuer'), label: 'person.identify.doc_issuer', required: true,
    attrs: { maxlength: 200, autocomplete: 'off' } });
  const number = field({ name: name('number'), label: 'person.identify.doc_number', required: true,
    attrs: { maxlength: 100, autocomplete: 'off' } });
  const date = field({ name: name('date'), label: 'person.identify.doc_date', type: 'date', required: true });
  Object.assign(fields, {
    [`${prefix}evidence`]: { el: evidence, input: boxes[0].box, error(k) {
      evErr.hidden = !k;
      if (k) setText(evErr, k);
      else evErr.textContent = '';
    } },
    [name('type')]: docType, [name('issuer')]: issuer, [name('number')]: number, [name('date')]: date,
    [`${prefix}document`]: docType,
  });
  const els = [evidence, h('fieldset', { class: 'group document' },
    h('legend', { i18n: 'person.identify.document' }),
    h('div', { class: 'row r-two' }, docType.el, issuer.el, number.el, date.el))];

  const text = (f) => f.input.value.trim().normalize('NFC') || null;
  const missing = (f, key) => {
    f.error(key);
    f.input.focus();
    return null;
  };
  function read() {
    const ev = boxes.filter((x) => x.box.checked).map((x) => x.c);
    if (!ev.length) return missing(fields[`${prefix}evidence`], 'person.error.evidence');
    if (!docType.input.value) return missing(docType, 'person.error.doc_type');
    if (!text(issuer)) return missing(issuer, 'person.error.doc_issuer');
    if (!text(number)) return missing(number, 'person.error.doc_number');
    if (!date.input.value) return missing(date, 'person.error.doc_date');
    return { evidence: ev, document: { type: docType.input.value, issuer: text(issuer), number: text(number),
      date: date.input.value } };
  }
  function clear() {
    for (const f of Object.values(fields)) f.error(null);
    for (const { box } of boxes) box.checked = false;
    for (const f of [docType, issuer, number, date]) f.input.value = '';
  }
  return { els, fields, read, clear };
}
