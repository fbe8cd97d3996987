// person-new.js: registering a person (POST /api/persons): a person under
// identification or a victim, or, from #/persons/new?accompanies=ID, an
// accompanying minor of that adult (prefilled with the adult's place and
// citizenship), or, from #/persons/new?intake=ID, the person that intake is
// about (prefilled with the intake's place; sent as {"person": ...} to
// POST /api/intakes/ID/persons, which links the two, and read back with
// GET /api/persons/{id}; its field errors name "person.<field>"). A
// suspected duplicate (409 duplicate_suspected) shows the candidates, each
// with a link to open it, and a button to register the new person all the
// same ("confirm_new": true). After an adult is registered, "add an
// accompanying minor" opens the minor's form. A victim (identified before)
// is registered with how they were identified: the date (empty: the day of
// reception), the evidence and the confirming document, as "identification"
// (its errors name "identification.<field>").
import { get, post } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { has, dmy } from '../i18n.js';
import { errorKey, showConflict } from './errors.js';
import { SEXES, CITIZENSHIPS, today } from './person-codes.js';
import { birth, statusBadge } from './persons.js';
import { ethnicGroups, countries, byName, refOption, refText, find, fillSelect, choose } from '../ref.js';
import { placePicker } from './place-picker.js';
import { identificationFields } from './identification.js';

// The id in the hash's query parameter name (?accompanies=ID, ?intake=ID),
// or null.
function idOf(hash, name) {
  const i = hash.indexOf('?');
  const v = i < 0 ? '' : new URLSearchParams(hash.slice(i + 1)).get(name) ?? '';
  return /^[1-9]\d{0,17}$/.test(v) ? Number(v) : null;
}

export function render(ctx) {
  const adultId = idOf(location.hash, 'accompanies');
  const minor = adultId !== null;
  // A minor is registered on their own, not from an intake.
  const intakeId = minor ? null : idOf(location.hash, 'intake');
  const fromIntake = intakeId !== null;
  const title = minor ? ['person.new.minor_title'] : fromIntake
    ? ['person.new.intake_title', { id: String(intakeId) }] : ['person.new.title'];
  ctx.setTitle(...title);
  const unit = ctx.user?.org_unit ?? {};
  const alert = alertBox();
  const done = h('div', { class: 'success', role: 'status', hidden: true, tabindex: '-1' });
  const dupBox = h('section', { class: 'duplicates', hidden: true, 'aria-labelledby': 'dup-h', tabindex: '-1' });
  // Whom the minor accompanies, or the intake the person comes from.
  const note = h('p', { class: 'notice adult-note', hidden: !minor && !fromIntake });
  const showNote = (...children) => {
    delete note.dataset.i18n; // no longer "loading" (a language switch would bring it back)
    note.replaceChildren(...children);
  };

  const opt = (value, key) => h('option', { value, i18n: key });
  const role = field({ name: 'role', label: 'person.field.role', required: true,
    control: h('select', { 'data-autofocus': !minor },
      minor ? opt('accompanying_minor', 'person.role.accompanying_minor')
        : [opt('under_identification', 'person.role.under_identification'), opt('victim', 'person.role.victim')]) });
  if (minor) role.input.disabled = true;
  const roleHint = h('p', { class: 'hint', i18n: minor ? 'person.new.minor_hint' : 'person.new.role_hint' });
  role.el.insertBefore(roleHint, role.el.querySelector('.field-error'));

  const fullName = field({ name: 'full_name', label: 'person.field.full_name', required: true,
    attrs: { autocomplete: 'off', spellcheck: 'false', maxlength: 200, 'data-autofocus': minor } });
  const sex = field({ name: 'sex', label: 'person.field.sex', required: true,
    control: h('select', {}, SEXES.map((s) => opt(s, `person.sex.${s}`))) });
  const birthDate = field({ name: 'birth_date', label: 'person.field.birth_date', type: 'date' });
  const birthYear = field({ name: 'birth_year', label: 'person.field.birth_year', type: 'number',
    attrs: { min: 1900, max: new Date().getFullYear(), inputmode: 'numeric', class: 'short' } });
  const age = field({ name: 'estimated_age', label: 'person.field.estimated_age', type: 'number',
    attrs: { min: 0, max: 120, inputmode: 'numeric', class: 'short' } });
  const birthSet = h('fieldset', { class: 'group birth' },
    h('legend', { i18n: 'person.field.birth' }),
    h('p', { class: 'hint', i18n: 'person.field.birth_hint' }),
    h('div', { class: 'row r-three' }, birthDate.el, birthYear.el, age.el));
  // The reference lists come from the server (ref.js, asked for once).
  const ethnicity = field({ name: 'ethnicity', label: 'person.field.ethnicity',
    control: h('select', {}, opt('', 'person.unknown')) });
  const refError = (f) => (err) => {
    if (!err.handled) f.error(errorKey(err, 'person'));
  };
  fillSelect(ethnicity.input, ethnicGroups, { onError: refError(ethnicity) });
  const countryList = h('datalist', { id: 'person-countries' });
  const nationality = field({ name: 'nationality', label: 'person.field.nationality', hint: 'person.field.country_hint',
    attrs: { autocomplete: 'off', maxlength: 2, list: 'person-countries', class: 'code short', spellcheck: 'false' } });
  // The name of the country typed, next to its code.
  const countryName = h('span', { class: 'code-name', 'aria-live': 'polite' });
  nationality.input.after(countryName);
  let countryItems = [];
  const showCountry = () => {
    const c = find(countryItems, nationality.input.value.trim().toUpperCase());
    countryName.replaceChildren(...(c ? [refText(c)] : []));
  };
  nationality.input.addEventListener('input', showCountry);
  countries().then((items) => {
    countryItems = items;
    countryList.append(...byName(items).map((c) => refOption(c)));
    showCountry();
  }, refError(nationality));
  const citizenship = field({ name: 'citizenship', label: 'person.field.citizenship', required: true,
    control: h('select', {}, CITIZENSHIPS.map((c) => opt(c, `person.citizenship.${c}`))) });
  const place = placePicker({
    province: { name: 'province', label: 'person.field.province', required: true },
    commune: { name: 'commune', label: 'person.field.commune', hint: 'person.field.commune_hint' },
    provinceEmpty: 'person.choose', communeEmpty: 'person.unknown' });
  const { province, commune } = place;
  const received = field({ name: 'received_on', label: 'person.field.received_on', type: 'date', required: true,
    hint: 'person.field.received_on_hint' });
  const cid = field({ name: 'citizen_id', label: 'person.field.citizen_id', hint: 'person.field.citizen_id_hint',
    attrs: { autocomplete: 'off', inputmode: 'numeric', maxlength: 12, class: 'code', spellcheck: 'false' } });
  const phone = field({ name: 'phone', label: 'person.field.phone', type: 'tel',
    attrs: { autocomplete: 'off', inputmode: 'tel', maxlength: 20 } });
  const address = field({ name: 'address', label: 'person.field.address', attrs: { autocomplete: 'off', maxlength: 500 } });
  const contacts = field({ name: 'contacts', label: 'person.field.contacts', hint: 'person.field.contacts_hint',
    control: h('textarea', { rows: 2, maxlength: 2000 }) });

  // How a victim was identified: shown when the role is victim.
  const identOn = field({ name: 'identification.on', label: 'person.new.identified_on', type: 'date',
    hint: 'person.new.identified_on_hint' });
  const ident = identificationFields('identification.');
  const identPart = h('div', { class: 'identification', hidden: true },
    h('h2', { class: 'form-part', i18n: 'person.new.part.identification' }),
    h('p', { class: 'hint', i18n: 'person.new.identification_hint' }),
    h('div', { class: 'row r-three' }, identOn.el), ...ident.els);
  const victim = () => role.input.value === 'victim';
  role.input.addEventListener('change', () => {
    identPart.hidden = !victim();
  });

  const fields = { role, full_name: fullName, sex, birth_date: birthDate, birth_year: birthYear,
    estimated_age: age, ethnicity, nationality, citizenship, province, commune, received_on: received,
    citizen_id: cid, phone, address, contacts, accompanies_id: role, identification: role,
    'identification.on': identOn, ...ident.fields };

  const submit = h('button', { type: 'submit', class: 'primary',
    i18n: minor ? 'person.new.submit_minor' : 'person.new.submit' });
  const form = h('form', { class: 'card person-form', novalidate: true, 'aria-labelledby': 'person-new-h' },
    h('h2', { class: 'form-part', i18n: 'person.new.part.person' }),
    h('div', { class: 'row r-two' }, role.el, fullName.el),
    h('div', { class: 'row r-three' }, sex.el, ethnicity.el, nationality.el),
    birthSet,
    h('div', { class: 'row r-three' }, citizenship.el, province.el, commune.el),
    h('div', { class: 'row r-three' }, received.el),
    identPart,
    h('h2', { class: 'form-part', i18n: 'person.new.part.identity' }),
    h('p', { class: 'hint', i18n: 'person.new.identity_hint' }),
    h('div', { class: 'row r-three' }, cid.el, phone.el, address.el),
    contacts.el,
    countryList,
    h('div', { class: 'actions' }, submit,
      h('a', { href: minor ? `#/persons/${adultId}` : fromIntake ? `#/intakes/${intakeId}` : '#/persons',
        i18n: 'person.new.cancel' })));

  // Empty the form; adult: the accompanied adult, whose citizenship and
  // place a minor gets; else the place is the intake's, if any, or the unit's.
  function reset(adult) {
    for (const f of Object.values(fields)) {
      f.error(null);
      if (f !== role) f.input.value = '';
    }
    sex.input.value = minor ? 'U' : 'F';
    nationality.input.value = adult?.nationality ?? 'VN';
    showCountry();
    citizenship.input.value = adult?.citizenship ?? 'vn_citizen';
    choose(ethnicity.input, adult?.ethnicity ?? '');
    const from = adult ?? intake;
    place.set(from?.province ?? unit.province_code ?? '',
      from ? from.commune ?? '' : unit.level === 'commune' ? unit.admin_code ?? '' : '');
    received.input.value = adult?.received_on ?? today();
    ident.clear();
    identPart.hidden = !victim();
  }

  // The body, or null after saying at the fields what is wrong.
  function collect() {
    const bad = [];
    const text = (f) => f.input.value.trim().normalize('NFC') || null;
    const name = text(fullName);
    if (!name) bad.push([fullName, 'person.error.full_name']);
    const given = [birthDate, birthYear, age].filter((f) => f.input.value.trim() !== '');
    if (given.length > 1) bad.push([given[1], 'person.error.birth_one']);
    const year = birthYear.input.value.trim();
    if (year && !/^\d{4}$/.test(year)) bad.push([birthYear, 'person.error.birth_year']);
    const ageV = age.input.value.trim();
    if (ageV && (!/^\d{1,3}$/.test(ageV) || Number(ageV) > 120)) bad.push([age, 'person.error.estimated_age']);
    if (!province.input.value) bad.push([province, 'person.error.province']);
    const comm = commune.input.value;
    const id = cid.input.value.trim();
    if (id && !/^\d{12}$/.test(id)) bad.push([cid, 'person.error.citizen_id']);
    if (!received.input.value) bad.push([received, 'person.error.received_on']);
    const nat = nationality.input.value.trim().toUpperCase();
    if (nat && !/^[A-Z]{2}$/.test(nat)) bad.push([nationality, 'person.error.nationality']);
    if (identOn.input.value && received.input.value && identOn.input.value < received.input.value)
      bad.push([identOn, 'person.error.identified_on']);
    if (bad.length) {
      for (const [f, k] of bad) f.error(k);
      bad[0][0].input.focus();
      return null;
    }
    const identification = victim() ? ident.read() : undefined;
    if (identification === null) return null;
    if (identification && identOn.input.value) identification.on = identOn.input.value;
    return {
      identification,
      role: role.input.value,
      accompanies_id: minor ? adultId : undefined,
      sex: sex.input.value,
      birth_date: birthDate.input.value || undefined,
      birth_year: year ? Number(year) : undefined,
      estimated_age: ageV ? Number(ageV) : undefined,
      ethnicity: ethnicity.input.value || undefined,
      nationality: nat || undefined,
      citizenship: citizenship.input.value,
      province: province.input.value,
      commune: comm || undefined,
      received_on: received.input.value,
      full_name: name,
      citizen_id: id || undefined,
      phone: text(phone) ?? undefined,
      address: text(address) ?? undefined,
      contacts: text(contacts) ?? undefined,
    };
  }

  function registered(p) {
    reset(adult);
    dupBox.hidden = true;
    const adultRole = p.role !== 'accompanying_minor';
    done.replaceChildren(
      h('p', {}, h('span', { i18n: adultRole ? 'person.new.done' : 'person.new.done_minor',
        args: { pseudonym: p.pseudonym } }), ' ',
      h('a', { href: `#/persons/${p.id}`, i18n: 'person.new.open', args: { pseudonym: p.pseudonym } })),
      h('p', { class: 'actions' },
        h('a', { href: `#/persons/new?accompanies=${adultRole ? p.id : adultId}`, class: 'button-link',
          i18n: adultRole ? 'person.new.add_minor' : 'person.new.add_another_minor' }),
        !adultRole ? h('a', { href: `#/persons/${adultId}`, i18n: 'person.new.back_adult' }) : null,
        fromIntake ? h('a', { href: `#/intakes/${intakeId}`, i18n: 'person.new.back_intake',
          args: { id: String(intakeId) } }) : null));
    done.hidden = false;
    done.focus();
  }

  function showDuplicates(candidates, body) {
    const cols = ['person.col.person', 'person.col.sex_birth', 'person.col.commune', 'person.col.status',
      'person.col.received'];
    const again = h('button', { type: 'button', class: 'secondary', i18n: 'person.dup.confirm' });
    dupBox.replaceChildren(
      h('h2', { id: 'dup-h', i18n: 'person.dup.title' }),
      h('p', { i18n: candidates.length === 1 ? 'person.dup.text_one' : 'person.dup.text',
        args: { n: candidates.length } }),
      h('table', { class: 'data duplicates-table' },
        h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', i18n: k })), h('th', { scope: 'col',
          i18n: 'person.col.open' }))),
        h('tbody', {}, candidates.map((c) => h('tr', {},
          h('th', { scope: 'row', class: 'mono pseudonym', text: c.pseudonym }),
          h('td', { class: 'nowrap' }, h('span', { i18n: `person.sex.${c.sex}` }), birth(c) ? `, ${birth(c)}` : ''),
          h('td', { class: 'mono', text: [c.province, c.commune].filter(Boolean).join(' / ') }),
          h('td', {}, statusBadge(c.status)),
          h('td', { class: 'nowrap', text: dmy(c.received_on) }),
          h('td', {}, h('a', { href: `#/persons/${c.id}`, target: '_blank', rel: 'noopener',
            i18n: 'person.dup.open', args: { pseudonym: c.pseudonym } })))))),
      h('p', { class: 'actions' }, again));
    again.addEventListener('click', () => send(body, true));
    dupBox.hidden = false;
    dupBox.focus();
  }

  // Register body (confirmNew: despite the suspected duplicates); resolves
  // with the person as GET /api/persons/{id} shows it.
  async function create(body, confirmNew) {
    if (!fromIntake) return post('/api/persons', confirmNew ? { ...body, confirm_new: true } : body);
    const r = await post(`/api/intakes/${intakeId}/persons`, { person: body, confirm_new: confirmNew });
    const id = r.person_ids[0];
    // Registered either way: if the read-back fails, say so by number
    // rather than as a failure (which would invite registering twice).
    return get(`/api/persons/${id}`).catch((err) => {
      if (err.handled) throw err;
      return { id, role: body.role, pseudonym: `#${id}` };
    });
  }

  let busy = false;
  async function send(body, confirmNew = false) {
    if (busy) return;
    busy = true;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    alert.hide();
    try {
      const p = await create(body, confirmNew);
      if (!ctx.current()) return;
      registered(p);
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      if (err.code === 'duplicate_suspected') {
        showDuplicates(err.body?.candidates ?? [], body);
        return;
      }
      if (showConflict(err, { alert })) return;
      // From an intake the server names the field "person.<field>"; the
      // identification's are told as the identify step's.
      const name = err.field?.replace(/^person\./, '');
      const f = fields[name];
      const key = name === 'identification.on' ? 'person.error.identified_on'
        : `person.error.${name?.replace(/^identification\./, '')}`;
      if (f && f !== role) {
        f.error(has(key) ? key : errorKey(err, 'person'));
        f.input.focus();
      } else alert.show(name && has(`person.error.${name}`) ? `person.error.${name}`
        : errorKey(err, 'person'));
    } finally {
      busy = false;
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const f of Object.values(fields)) f.error(null);
    done.hidden = true;
    dupBox.hidden = true;
    const body = collect();
    if (body) send(body);
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  let adult = null;
  let intake = null; // GET /api/intakes/{intakeId}: its place
  reset(null);
  if (minor) {
    setText(note, 'loading');
    get(`/api/persons/${adultId}`).then((a) => {
      if (!ctx.current()) return;
      adult = a;
      reset(a);
      // Only a unit that may record casework on the adult adds a minor.
      if (a.may_change === false) {
        submit.disabled = true;
        alert.show('person.new.adult_read_only');
      }
      showNote(h('span', { i18n: 'person.new.with_adult' }), ' ',
        h('a', { href: `#/persons/${a.id}` }, a.identity?.full_name ? `${a.identity.full_name} ` : '',
          h('span', { class: 'mono pseudonym', text: a.pseudonym })), ' (',
        h('span', { i18n: `person.role.${a.role}` }), ')');
    }, (err) => {
      if (!ctx.current() || err.handled) return;
      note.hidden = true;
      submit.disabled = true;
      alert.show(err.code === 'not_found' ? 'person.new.no_adult' : errorKey(err, 'person'));
    });
  }

  if (fromIntake) {
    setText(note, 'loading');
    const before = place.value();
    get(`/api/intakes/${intakeId}`).then((i) => {
      if (!ctx.current()) return;
      // Only the place, and only if the user has not chosen one meanwhile.
      const untouched = JSON.stringify(place.value()) === JSON.stringify(before);
      intake = i;
      if (untouched) place.set(i.province ?? '', i.commune ?? '');
      showNote(h('span', { i18n: 'person.new.from_intake' }), ' ',
        h('a', { href: `#/intakes/${i.id}`, i18n: 'person.new.intake_link', args: { id: String(i.id) } }), '.');
    }, (err) => {
      if (!ctx.current() || err.handled) return;
      note.hidden = true;
      submit.disabled = true;
      alert.show(err.code === 'not_found' ? 'person.new.no_intake' : errorKey(err, 'person'));
    });
  }

  return h('div', { class: 'person-new' },
    h('div', { class: 'title-row' },
      h('h1', { id: 'person-new-h', i18n: title[0], args: title[1] }),
      h('a', { href: '#/persons', class: 'button-link', i18n: 'person.back' })),
    note,
    done,
    alert.el,
    dupBox,
    form);
}
