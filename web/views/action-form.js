// The small card form the detail views share: a heading, an alert box, the
// fields, any extra content and a submit button. On submit it clears the
// errors, asks body() for the request (null: a client-side error was shown),
// sends it with the button disabled and the form busy, then reloads the
// view with the success text. An error — unless the view is gone or it was
// already handled — goes to explain(err, body, formAlert, fields), which
// maps it to a field or the alert as each view sees fit.
import { h, alertBox } from '../dom.js';

// className: the form's classes; headingId, heading (tag), title: the
// heading; submitKey: the button's text; reset(): also run before body();
// ctx, load: the view's context and its reload(ok).
export function actionForm({ className, headingId, heading = 'h2', title, submitKey, fields, extra = [],
  body, send, ok, ctx, load, reset, explain }) {
  const formAlert = alertBox();
  const submit = h('button', { type: 'submit', class: 'primary', i18n: submitKey });
  const form = h('form', { class: className, novalidate: true, 'aria-labelledby': headingId },
    h(heading, { id: headingId, i18n: title }),
    formAlert.el,
    Object.values(fields).filter((f, i, a) => a.indexOf(f) === i).map((f) => f.el),
    extra,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const f of Object.values(fields)) f.error(null);
    formAlert.hide();
    reset?.();
    const b = body();
    if (!b) return;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await send(b);
      if (!ctx.current()) return;
      await load(ok);
    } catch (err) {
      if (!ctx.current() || err.handled) return;
      await explain(err, b, formAlert, fields);
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  form.submitButton = submit;
  form.formAlert = formAlert;
  return form;
}
