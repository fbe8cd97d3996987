// place-picker.js: a province <select> and a commune <select> filled with
// the communes of the province chosen (ref.js: GET /api/ref/provinces and
// /api/ref/communes?province=NN). Plain selects, so the keyboard works as
// usual (arrows, typing the first letters); a box above the communes
// narrows them to those whose name holds what is typed, with or without
// diacritics ("ben thanh"), and Enter or Down picks the first one. Used by
// the register form, the persons search, the intake form, the org-unit
// form and (the province alone) the case KPI filter.
import { h, field } from '../dom.js';
import { errorKey } from './errors.js';
import { provinces, communes, byName, refOption, fillSelect, choose } from '../ref.js';

// "Phường Bến Thành" -> "Bến Thành, phường": in Vietnamese the name comes
// first, so typing its first letters finds it in the list (the English
// names, "Ben Thanh Ward", start with it already).
const TYPE = /^(Phường|Xã|Đặc khu) (.+)$/;
function shortName(name, item, l) {
  const m = l === 'vi' ? TYPE.exec(name) : null;
  return m ? `${m[2]}, ${m[1].toLowerCase()}` : name;
}
const communeText = (name, item, l) => `${shortName(name, item, l)} (${item.code})`;

// Lower case, without diacritics: "Phường Bến Thành" -> "phuong ben thanh".
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();

// Options: province, commune: field() options (name, label, hint,
// required; no commune: the province alone); provinceEmpty, communeEmpty:
// the text key of the first, empty option ("— Choose —", "Any"). Returns
// { province, commune (the two fields; commune null without one),
// set(province, commune) -> a promise resolved once both are shown,
// value() -> { province, commune } (what set() asked for while the lists
// are on their way, so that a form sent early loses nothing) }.
export function placePicker({ province: pOpts, commune: cOpts, provinceEmpty, communeEmpty }) {
  const provSel = h('select', {}, h('option', { value: '', i18n: provinceEmpty }));
  const commSel = h('select', { disabled: true });
  const province = field({ ...pOpts, control: provSel });
  const commune = cOpts ? field({ ...cOpts, control: commSel }) : null;
  const filter = h('input', { type: 'search', name: cOpts ? `${cOpts.name}_filter` : null, class: 'place-filter', maxlength: 100,
    autocomplete: 'off', spellcheck: 'false', disabled: true,
    attrs: { 'aria-label': 'place.filter', placeholder: 'place.filter_placeholder' } });
  filter.setAttribute('aria-controls', commSel.id);
  commSel.before(filter);

  // Hide the communes that do not match; the first that does, or null.
  function narrow() {
    const q = fold(filter.value.trim());
    let first = null;
    for (const o of commSel.options) {
      if (!o.value) continue;
      const hit = !q || o.value.startsWith(q) || fold(`${o.dataset.refVi ?? ''} ${o.dataset.refEn ?? ''}`).includes(q);
      o.hidden = !hit;
      if (hit) first ??= o;
    }
    return first;
  }
  filter.addEventListener('input', narrow);
  filter.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== 'ArrowDown') return;
    // Ctrl+Enter and the like are the form's (save), not a pick.
    if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    e.preventDefault(); // Enter here picks, it does not send the form
    const first = narrow();
    if (first && commSel.value !== first.value) {
      commSel.value = first.value;
      commSel.dispatchEvent(new Event('change', { bubbles: true }));
    }
    commSel.focus();
  });
  let seq = 0; // the last commune list asked for; an older answer is dropped
  let pending = null; // the commune set() asked for, while its list loads

  const provLoaded = fillSelect(provSel, provinces, { fmt: (n, p) => `${p.code} – ${n}`,
    onError: (err) => { if (!err.handled) province.error(errorKey(err, 'person')); } });

  async function fill(code, value) {
    if (!commune) return;
    const mine = ++seq;
    pending = value ?? '';
    commune.error(null);
    commSel.disabled = true;
    filter.disabled = true;
    filter.value = '';
    if (!/^\d{2}$/.test(code)) {
      // No province, or a place above the provinces (VN): no communes.
      pending = null;
      commSel.replaceChildren(h('option', { value: '', i18n: code ? communeEmpty : 'place.province_first' }));
      return;
    }
    commSel.replaceChildren(h('option', { value: '', i18n: 'loading' }));
    commSel.setAttribute('aria-busy', 'true');
    try {
      const items = await communes(code);
      if (mine !== seq) return;
      commSel.replaceChildren(h('option', { value: '', i18n: communeEmpty }),
        ...byName(items, shortName).map((c) => refOption(c, communeText)));
      commSel.disabled = false;
      filter.disabled = false;
      choose(commSel, value);
    } catch (err) {
      if (mine !== seq) return;
      // Still usable: the empty choice, and the code it had.
      commSel.replaceChildren(h('option', { value: '', i18n: communeEmpty }),
        value ? h('option', { value, text: value }) : null);
      commSel.value = value ?? '';
      commSel.disabled = false;
      if (!err.handled) commune.error(errorKey(err, 'person'));
    } finally {
      if (mine === seq) {
        pending = null;
        commSel.removeAttribute('aria-busy');
      }
    }
  }

  provSel.addEventListener('change', () => {
    province.error(null);
    fill(provSel.value, '');
  });
  // Choosing a commune answers its error (say, not in the province).
  commSel.addEventListener('change', () => commune?.error(null));

  async function set(p, c) {
    choose(provSel, p);
    await Promise.all([fill(p ?? '', c ?? ''), provLoaded]);
  }

  fill('', '');
  return { province, commune, set, value: () => ({
    province: provSel.dataset.want ?? provSel.value,
    commune: commune ? pending ?? commSel.value : '',
  }) };
}

