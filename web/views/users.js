// users.js: the administrator's user list (GET /api/users) and the form
// that creates a user (POST /api/users), showing the one-time password
// once; per user: reset the password, disable the account.
import { get, post } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { t } from '../i18n.js';
import { ROLES, roleKeys } from './roles.js';
import { errorKey } from './errors.js';
import { sortUnits, unitLabel } from './org-units.js';

const USERNAME = /^[a-z0-9._-]{3,64}$/;

export function render(ctx) {
  ctx.setTitle('nav.users');
  const alert = alertBox();
  const listAlert = alertBox();
  const secret = h('div', { class: 'secret', role: 'status', hidden: true, tabindex: '-1' });

  // The create form.
  const username = field({ name: 'username', label: 'users.username', hint: 'users.username_hint',
    required: true, attrs: { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 } });
  const displayName = field({ name: 'display_name', label: 'users.display_name', required: true,
    attrs: { autocomplete: 'off', maxlength: 200 } });
  const unitSelect = h('select', {}, h('option', { value: '', i18n: 'users.org_unit_loading' }));
  const unit = field({ name: 'org_unit_id', label: 'users.org_unit', required: true, control: unitSelect });
  const rolesErr = h('p', { id: 'roles-err', class: 'field-error', role: 'alert', hidden: true });
  const roleBoxes = ROLES.map((r) => {
    const id = `role-${r}`;
    const box = h('input', { type: 'checkbox', id, name: 'roles', value: r });
    return { r, box, el: h('div', { class: 'check' }, box, h('label', { for: id, i18n: `role.${r}` })) };
  });
  const rolesSet = h('fieldset', { class: 'roles', 'aria-describedby': 'roles-err' },
    h('legend', { i18n: 'users.roles' }),
    h('div', { class: 'checks' }, roleBoxes.map((b) => b.el)),
    rolesErr);
  const submit = h('button', { type: 'submit', class: 'primary', i18n: 'users.submit' });
  const form = h('form', { class: 'grid-form cols-3', novalidate: true, 'aria-labelledby': 'users-create-h' },
    alert.el,
    username.el, displayName.el, unit.el, rolesSet,
    h('div', { class: 'actions' }, submit));
  const fields = { username, display_name: displayName, org_unit_id: unit };

  function rolesError(key) {
    rolesErr.hidden = !key;
    if (key) setText(rolesErr, key);
    rolesSet.toggleAttribute('aria-invalid', Boolean(key));
  }

  function showSecret(key, name, password) {
    const code = h('code', { class: 'otp', text: password });
    secret.replaceChildren(
      h('p', { class: 'secret-title', i18n: key, args: { username: name } }),
      h('p', {}, code),
      h('p', { class: 'muted', i18n: 'users.otp_note' }));
    secret.hidden = false;
    secret.focus();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.hide();
    secret.hidden = true;
    for (const f of Object.values(fields)) f.error(null);
    rolesError(null);
    const body = {
      username: username.input.value.trim(),
      display_name: displayName.input.value.trim(),
      org_unit_id: Number(unitSelect.value),
      roles: roleBoxes.filter((b) => b.box.checked).map((b) => b.r),
    };
    let first = null;
    const bad = (f, key) => { f.error(key); first ??= f.input; };
    if (!USERNAME.test(body.username)) bad(username, 'users.error.username');
    if (!body.display_name) bad(displayName, 'users.error.display_name');
    if (!unitSelect.value) bad(unit, 'users.error.org_unit_id');
    if (!body.roles.length) {
      rolesError('users.error.roles');
      first ??= roleBoxes[0].box;
    }
    if (first) {
      first.focus();
      return;
    }
    submit.disabled = true;
    try {
      const res = await post('/api/users', body);
      if (!ctx.current()) return;
      form.reset();
      showSecret('users.created', res.user?.username ?? body.username, res.password);
      load();
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      const f = fields[err.field];
      if (err.field === 'roles') {
        rolesError(errorKey(err, 'users'));
        roleBoxes[0].box.focus();
      } else if (f) {
        f.error(err.code === 'exists' ? 'users.error.exists' : `users.error.${err.field}`);
        f.input.focus();
      } else {
        alert.show(errorKey(err, 'users'));
      }
    } finally {
      submit.disabled = false;
    }
  });

  // The list.
  const tbody = h('tbody', {}, h('tr', {}, h('td', { colspan: 6, i18n: 'loading' })));
  const table = h('table', { class: 'data' },
    h('caption', { i18n: 'users.list' }),
    h('thead', {}, h('tr', {},
      ['users.col.username', 'users.col.display_name', 'users.col.org_unit', 'users.col.roles',
        'users.col.status', 'users.col.actions'].map((k) => h('th', { scope: 'col', i18n: k })))),
    tbody);

  async function act(u, what) {
    const confirmKey = what === 'disable' ? 'users.confirm_disable' : 'users.confirm_reset';
    if (!window.confirm(t(confirmKey, { username: u.username }))) return;
    listAlert.hide();
    secret.hidden = true;
    try {
      const res = await post(`/api/users/${encodeURIComponent(u.id)}/${what}`);
      if (!ctx.current()) return;
      if (what === 'reset-password') showSecret('users.reset_done', u.username, res.password);
      load();
    } catch (err) {
      if (ctx.current() && !err.handled) listAlert.show(errorKey(err, 'users'));
    }
  }

  function row(u) {
    const status = u.disabled ? 'users.status.disabled'
      : u.must_change_password ? 'users.status.must_change' : 'users.status.active';
    const self = u.id === ctx.user.id;
    return h('tr', {},
      h('th', { scope: 'row' }, h('span', { class: 'mono', text: u.username })),
      h('td', { vi: u.display_name }),
      h('td', { vi: u.org_unit?.name ?? unitNames.get(u.org_unit_id) ?? '' }),
      h('td', {}, roleKeys(u.roles).map((k, i) => [i ? ', ' : null, h('span', { i18n: k })])),
      h('td', {}, h('span', { class: `badge ${u.disabled ? 'off' : u.must_change_password ? 'wait' : 'on'}`, i18n: status })),
      h('td', { class: 'row-actions' }, u.disabled || self ? null : [
        // Named with the account, as each row has the same buttons.
        h('button', { type: 'button', class: 'small', onclick: () => act(u, 'reset-password'),
          i18n: 'users.reset', attrs: { 'aria-label': ['users.reset_label', { username: u.username }] } }),
        h('button', { type: 'button', class: 'small danger', onclick: () => act(u, 'disable'),
          i18n: 'users.disable', attrs: { 'aria-label': ['users.disable_label', { username: u.username }] } }),
      ]));
  }

  // Names of org units by id: the list answers org_unit_id (the API doc's
  // User has an org_unit object; both are understood).
  const unitNames = new Map();
  const unitsLoaded = get('/api/org-units').then(({ items }) => {
    for (const u of items) unitNames.set(u.id, u.name);
    return items;
  });

  async function load() {
    try {
      await unitsLoaded.catch(() => null);
      const { items } = await get('/api/users');
      if (!ctx.current()) return;
      tbody.replaceChildren(...(items.length ? items.map(row)
        : [h('tr', {}, h('td', { colspan: 6, i18n: 'users.empty' }))]));
    } catch (err) {
      if (ctx.current() && !err.handled) {
        tbody.replaceChildren();
        listAlert.show(errorKey(err, 'users'));
      }
    }
  }

  unitsLoaded.then((items) => {
    if (!ctx.current()) return;
    unitSelect.replaceChildren(h('option', { value: '', i18n: 'users.org_unit_choose' }),
      ...sortUnits(items).map((u) => h('option', { value: u.id, vi: unitLabel(u) })));
  }, (err) => {
    if (ctx.current() && !err.handled) unit.error(errorKey(err));
  });
  load();

  return h('div', {},
    h('h1', { i18n: 'nav.users' }),
    h('section', { class: 'card', 'aria-labelledby': 'users-create-h' },
      h('h2', { id: 'users-create-h', i18n: 'users.create' }),
      form),
    secret,
    h('section', { 'aria-labelledby': 'users-list-h' },
      h('h2', { id: 'users-list-h', class: 'visually-hidden', i18n: 'users.list' }),
      listAlert.el,
      h('div', { class: 'table-wrap' }, table)));
}
