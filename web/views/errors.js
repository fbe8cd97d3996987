// errors.js: the text key for an API error: a page-specific text
// ("<page>.error.<code>") when there is one, else the general "error.<code>".
import { pick } from '../i18n.js';

export function errorKey(e, page) {
  const code = e?.code ?? 'internal';
  return pick(...(page ? [`${page}.error.${code}`] : []), `error.${code}`, 'error.internal');
}
