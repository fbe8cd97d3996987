// password.js: change one's password (POST /api/session/password). While
// the one-time password is still in use this is the only page there is.
import { post } from '../api.js';
import { h, field, alertBox, setText } from '../dom.js';
import { pick } from '../i18n.js';
import { errorKey } from './errors.js';

export const MIN = 12;
export const MAX = 128;

export function render(ctx) {
  const forced = Boolean(ctx.user?.must_change_password);
  ctx.setTitle('pw.title');
  const alert = alertBox();
  const done = h('p', { class: 'success', role: 'status', tabindex: '-1', hidden: true });
  const cur = field({ name: 'current_password', label: 'pw.current', type: 'password',
    autocomplete: 'current-password', required: true, attrs: { maxlength: MAX, 'data-autofocus': true } });
  const neu = field({ name: 'new_password', label: 'pw.new', type: 'password', hint: 'pw.hint',
    autocomplete: 'new-password', required: true, attrs: { minlength: MIN, maxlength: MAX } });
  const conf = field({ name: 'confirm', label: 'pw.confirm', type: 'password',
    autocomplete: 'new-password', required: true, attrs: { maxlength: MAX } });
  const fields = { current_password: cur, new_password: neu, confirm: conf };
  // Set when too many wrong current passwords locked the account and ended
  // the session (401 naming current_password): nothing more to send.
  let ended = false;
  const submit = h('button', { type: 'submit', class: 'primary', i18n: 'pw.submit' });
  // For password managers: whose password this is (not shown, not focusable).
  const who = h('input', { type: 'text', name: 'username', autocomplete: 'username', maxlength: 64,
    value: ctx.user?.username ?? '', hidden: true, 'aria-hidden': 'true', tabindex: '-1' });
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'pw-h' },
    who, alert.el, cur.el, neu.el, conf.el, h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.hide();
    done.hidden = true;
    for (const f of Object.values(fields)) f.error(null);
    const c = cur.input.value;
    const n = neu.input.value;
    const bad = [];
    if (!c) bad.push([cur, 'pw.error.current_required']);
    if ([...n].length < MIN) bad.push([neu, 'pw.error.too_short', { min: MIN }]);
    else if ([...n].length > MAX) bad.push([neu, 'pw.error.too_long', { max: MAX }]);
    else if (n === c) bad.push([neu, 'pw.error.same']);
    else if (n === ctx.user?.username) bad.push([neu, 'pw.error.username']);
    if (conf.input.value !== n) bad.push([conf, 'pw.error.mismatch']);
    if (bad.length) {
      for (const [f, key, args] of bad) f.error(key, args);
      bad[0][0].input.focus();
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await post('/api/session/password', { current_password: c, new_password: n });
      // The answer is 204; the session (and maybe its CSRF token) is fetched anew.
      await ctx.refreshSession();
      if (!ctx.current()) return;
      if (forced) {
        ctx.go('/home');
        return;
      }
      for (const f of Object.values(fields)) f.input.value = '';
      done.hidden = false;
      setText(done, 'pw.done');
      done.focus();
    } catch (err) {
      if (!ctx.current()) return;
      const f = fields[err.field];
      if (err.status === 401 && f) ended = true;
      if (f) {
        f.error(pick(`pw.error.${err.field}.${err.code}`, `pw.error.${err.field}`, errorKey(err, 'pw')));
        f.input.focus();
      } else if (!err.handled) {
        alert.show(errorKey(err, 'pw'));
      }
    } finally {
      submit.disabled = ended;
      form.removeAttribute('aria-busy');
    }
  });

  return h('div', { class: forced ? 'login-wrap' : '' },
    h('section', { class: forced ? 'card login' : 'card narrow' },
      h('h1', { id: 'pw-h', i18n: 'pw.title' }),
      h('p', { class: forced ? 'notice' : 'muted', role: forced ? 'note' : null,
        i18n: forced ? 'pw.forced' : 'pw.lead' }),
      done,
      form));
}
