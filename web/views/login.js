// login.js: the sign-in page (POST /api/session).
import { post } from '../api.js';
import { h, field, alertBox } from '../dom.js';
import { errorKey } from './errors.js';

export function render(ctx) {
  ctx.setTitle('login.title');
  const alert = alertBox();
  const user = field({ name: 'username', label: 'login.username', autocomplete: 'username', required: true,
    attrs: { autocapitalize: 'none', spellcheck: 'false', maxlength: 64, 'data-autofocus': true } });
  const pass = field({ name: 'password', label: 'login.password', type: 'password', required: true,
    autocomplete: 'current-password', attrs: { maxlength: 128 } });
  const submit = h('button', { type: 'submit', class: 'primary', i18n: 'login.submit' });
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'login-h' },
    alert.el, user.el, pass.el, h('div', { class: 'actions' }, submit));
  const notice = ctx.notice ? h('p', { class: 'notice', role: 'status', i18n: ctx.notice }) : null;

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.hide();
    user.error(null);
    pass.error(null);
    const username = user.input.value.trim();
    const password = pass.input.value;
    if (!username || !password) {
      if (!username) user.error('login.error.username_required');
      if (!password) pass.error('login.error.password_required');
      (username ? pass.input : user.input).focus();
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const session = await post('/api/session', { username, password }, { redirect: false });
      ctx.signedIn(session);
      ctx.afterLogin();
    } catch (err) {
      if (!ctx.current()) return;
      alert.show(errorKey(err, 'login'));
      pass.input.value = '';
      pass.input.focus();
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  return h('div', { class: 'login-wrap' },
    h('section', { class: 'card login' },
      h('img', { src: '/favicon.svg', alt: '', width: 48, height: 48, class: 'login-logo' }),
      h('h1', { id: 'login-h', i18n: 'login.title' }),
      h('p', { class: 'muted', i18n: 'login.lead' }),
      notice,
      form),
    h('p', { class: 'login-note muted', i18n: 'login.note' }));
}
