// home.js: the home page of a signed-in user: a greeting, what each of the
// user's roles does here (with links to its pages), and the system facts.
import { get } from '../api.js';
import { h, setText } from '../dom.js';
import { ROLES } from './roles.js';
import { errorKey } from './errors.js';

// Pages each role can open from its card.
const INTAKE_LINKS = [['#/intake/new', 'nav.intake_new'], ['#/intakes', 'nav.intakes']];
const CASE_LINK = ['#/cases', 'case.home'];
const PERSON_LINK = ['#/persons', 'person.home'];
const STATS_LINK = ['#/stats', 'stats.home'];
const LINKS = {
  hotline_operator: [...INTAKE_LINKS, PERSON_LINK],
  case_worker: [...INTAKE_LINKS, PERSON_LINK, STATS_LINK],
  investigator: [...INTAKE_LINKS, PERSON_LINK, CASE_LINK, STATS_LINK],
  procurator: [CASE_LINK],
  judge: [CASE_LINK],
  statistician: [STATS_LINK, CASE_LINK],
  supervisor: [['#/intakes', 'nav.intakes'], PERSON_LINK, CASE_LINK, STATS_LINK],
  administrator: [['#/users', 'nav.users'], ['#/org-units', 'nav.org_units']],
  auditor: [['#/audit', 'nav.audit']],
};

export function render(ctx) {
  const user = ctx.user;
  ctx.setTitle('nav.home');
  const roles = ROLES.filter((r) => user.roles?.includes(r));
  const cards = roles.map((r) => h('article', { class: 'card role-card' },
    h('h3', { i18n: `role.${r}` }),
    h('p', { i18n: `home.role.${r}` }),
    LINKS[r] ? h('ul', { class: 'links' },
      LINKS[r].filter(([href]) => ctx.canOpen(href))
        .map(([href, key]) => h('li', {}, h('a', { href, i18n: key })))) : null));

  const facts = {
    version: h('dd', { text: ctx.meta?.version ?? '…' }),
    provinces: h('dd', { text: '…' }),
    communes: h('dd', { text: '…' }),
  };
  const factsError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  get('/api/ref/stats').then((stats) => {
    if (!ctx.current()) return;
    setText(facts.provinces, 'num', { n: stats.provinces });
    setText(facts.communes, 'num', { n: stats.communes });
  }, (e) => {
    if (!ctx.current() || e.handled) return;
    factsError.hidden = false;
    setText(factsError, errorKey(e));
  });

  return h('div', { class: 'home' },
    h('h1', { i18n: 'home.greeting', args: { name: user.display_name } }),
    h('p', { class: 'lead', i18n: 'home.unit', args: { unit: user.org_unit?.name ?? '' } }),
    h('section', { 'aria-labelledby': 'home-roles' },
      h('h2', { id: 'home-roles', i18n: roles.length > 1 ? 'home.roles' : 'home.role' }),
      cards.length ? h('div', { class: 'cards' }, cards) : h('p', { i18n: 'home.no_role' })),
    h('section', { 'aria-labelledby': 'home-system' },
      h('h2', { id: 'home-system', i18n: 'home.system' }),
      h('dl', { class: 'facts' },
        h('dt', { i18n: 'home.version' }), facts.version,
        h('dt', { i18n: 'home.provinces' }), facts.provinces,
        h('dt', { i18n: 'home.communes' }), facts.communes),
      factsError));
}
