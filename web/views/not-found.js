// not-found.js: an unknown page, or one the user's roles may not open.
import { h } from '../dom.js';

export function render(ctx) {
  const key = ctx.args.forbidden ? 'forbidden' : 'notfound';
  ctx.setTitle(`${key}.title`);
  return h('div', {},
    h('h1', { i18n: `${key}.title` }),
    h('p', { i18n: `${key}.text` }),
    h('p', {}, h('a', { href: '#/home', i18n: 'notfound.home' })));
}
