// app.js: the single-page shell. Hash routes (#/login, #/home, ...), the
// session (resumed with GET /api/session), the header, the navigation by
// role, the demo-data banner; each page is a module in views/.
import { get, del, setCsrf, on } from './api.js';
import { load, toggle, lang, t, apply } from './i18n.js';
import { h, setText } from './dom.js';
import * as login from './views/login.js';
import * as password from './views/password.js';
import * as home from './views/home.js';
import * as users from './views/users.js';
import * as orgUnits from './views/org-units.js';
import * as audit from './views/audit.js';
import * as intake from './views/intake.js';
import * as intakes from './views/intakes.js';
import * as intakeDetail from './views/intake-detail.js';
import * as referrals from './views/referrals.js';
import * as cases from './views/cases.js';
import * as caseDetail from './views/case-detail.js';
import * as persons from './views/persons.js';
import * as personNew from './views/person-new.js';
import * as personDetail from './views/person-detail.js';
import * as personTimeline from './views/person-timeline.js';
import * as stats from './views/stats.js';
import * as reports from './views/reports.js';
import * as reportDetail from './views/report-detail.js';
import * as activities from './views/activities.js';
import * as plans from './views/plans.js';
import * as planImport from './views/plan-import.js';
import * as planDetail from './views/plan-detail.js';
import { PLAN_ROLES, PLAN_WRITE_ROLES } from './views/plan-common.js';
import * as notFound from './views/not-found.js';

const $ = (id) => document.getElementById(id);

// Who receives intakes, and who may list them (supervisors: pseudonymised).
const INTAKE_ROLES = ['hotline_operator', 'case_worker', 'investigator'];
const INTAKE_LIST_ROLES = [...INTAKE_ROLES, 'supervisor'];
// Criminal cases: who holds them, and who sees their KPIs too.
const CASE_ROLES = ['investigator', 'procurator', 'judge', 'supervisor'];
const CASE_KPI_ROLES = [...CASE_ROLES, 'statistician'];
// Persons: who registers them, and who reads them (supervisors: pseudonymised).
const PERSON_NEW_ROLES = ['hotline_operator', 'case_worker', 'investigator'];
const PERSON_ROLES = [...PERSON_NEW_ROLES, 'supervisor'];
// Statistics: who the stats API lets read aggregates of their scope.
const STATS_ROLES = ['statistician', 'supervisor', 'case_worker', 'investigator'];
// Periodic reports: who sees them (statisticians and supervisors submit and
// review them); activities: who records them (the same roles).
const REPORT_ROLES = STATS_ROLES;
const ACTIVITY_ROLES = STATS_ROLES;

// National units hold no person; of them only the national hotline 111
// receives intakes (src/core/authz.c, intake.c): the units a page is for.
const LOCAL = (u) => u?.org_unit?.level !== 'nation';
const RECEIVES = (u) => LOCAL(u) || u?.org_unit?.agency === 'HOTLINE_111';

// path -> page; roles: who may open it (absent: anyone signed in); units:
// of which units (absent: any).
const ROUTES = {
  '/login': { view: login, public: true },
  '/password': { view: password },
  '/home': { view: home },
  '/users': { view: users, roles: ['administrator'] },
  '/org-units': { view: orgUnits, roles: ['administrator'] },
  '/audit': { view: audit, roles: ['auditor'] },
  '/intake/new': { view: intake, roles: INTAKE_ROLES, units: RECEIVES },
  '/intakes': { view: intakes, roles: INTAKE_LIST_ROLES, units: RECEIVES },
  '/referrals': { view: referrals, roles: INTAKE_ROLES, units: RECEIVES },
  '/cases': { view: cases, roles: CASE_KPI_ROLES },
  '/persons': { view: persons, roles: PERSON_ROLES, units: LOCAL },
  '/persons/new': { view: personNew, roles: PERSON_NEW_ROLES, units: LOCAL, nav: '/persons' },
  '/stats': { view: stats, roles: STATS_ROLES },
  '/reports': { view: reports, roles: REPORT_ROLES },
  '/reports/view': { view: reportDetail, roles: REPORT_ROLES, nav: '/reports' },
  '/reports/print': { view: reportDetail.printPage, roles: REPORT_ROLES, nav: '/reports' },
  '/activities': { view: activities, roles: ACTIVITY_ROLES },
  '/plans': { view: plans, roles: PLAN_ROLES },
  '/plans/import': { view: planImport, roles: PLAN_WRITE_ROLES, nav: '/plans' },
};

// Paths with an id: [pattern, page]; the page gets args.id.
const PATTERNS = [
  [/^\/intakes\/(\d+)$/, { view: intakeDetail, roles: INTAKE_LIST_ROLES, units: RECEIVES, nav: '/intakes' }],
  [/^\/cases\/(\d+)$/, { view: caseDetail, roles: CASE_ROLES, nav: '/cases' }],
  [/^\/persons\/(\d+)$/, { view: personDetail, roles: PERSON_ROLES, units: LOCAL, nav: '/persons' }],
  [/^\/persons\/(\d+)\/timeline$/, { view: personTimeline, roles: PERSON_ROLES, units: LOCAL, nav: '/persons' }],
  [/^\/reports\/(\d+)$/, { view: reportDetail, roles: REPORT_ROLES, nav: '/reports' }],
  [/^\/plans\/(\d+)$/, { view: planDetail, roles: PLAN_ROLES, nav: '/plans' }],
  [/^\/plans\/(\d+)\/print$/, { view: planDetail.printPage, roles: PLAN_ROLES, nav: '/plans' }],
];

function lookup(path) {
  if (ROUTES[path]) return { page: ROUTES[path], args: {} };
  for (const [re, page] of PATTERNS) {
    const m = re.exec(path);
    if (m) return { page, args: { id: Number(m[1]) } };
  }
  return { page: null, args: {} };
}

// The navigation, in order; an entry shows if the user holds one of roles.
const NAV = [
  { path: '/home', key: 'nav.home' },
  { path: '/intake/new', key: 'nav.intake_new', roles: INTAKE_ROLES, units: RECEIVES },
  { path: '/intakes', key: 'nav.intakes', roles: INTAKE_LIST_ROLES, units: RECEIVES },
  { path: '/referrals', key: 'nav.referrals', roles: INTAKE_ROLES, units: RECEIVES, count: 'referrals' },
  { path: '/persons', key: 'person.nav', roles: PERSON_ROLES, units: LOCAL },
  { path: '/cases', key: 'case.nav', roles: CASE_KPI_ROLES },
  { path: '/stats', key: 'stats.nav', roles: STATS_ROLES },
  { path: '/reports', key: 'report.nav', roles: REPORT_ROLES, count: 'reminders' },
  { path: '/activities', key: 'activity.nav', roles: ACTIVITY_ROLES },
  { path: '/plans', key: 'plan.nav', roles: PLAN_ROLES },
  { path: '/users', key: 'nav.users', roles: ['administrator'] },
  { path: '/org-units', key: 'nav.org_units', roles: ['administrator'] },
  { path: '/audit', key: 'nav.audit', roles: ['auditor'] },
  { path: '/password', key: 'nav.password' },
];

const state = {
  user: null, // User of GET/POST /api/session, null when signed out
  meta: null, // GET /api/meta
  notice: null, // a message key for the login page ("signed out", "expired")
  next: null, // where to go after signing in
  rendering: 0, // bumps on each route, so a late page load is dropped
};

const allowed = (roles, user, units) => (!roles || roles.some((r) => user?.roles?.includes(r))) &&
  (!units || units(user));

function currentPath() {
  // #/intakes?due=soon -> /intakes (the page reads its own query)
  // #/ is the home page, as an empty hash is.
  const m = /^#(\/[\w-]*(?:\/[\w-]+)*)/.exec(location.hash);
  return m && m[1] !== '/' ? m[1] : '';
}

export function go(path) {
  if (currentPath() === path) route();
  else location.hash = `#${path}`;
}

// The session answer: remember the user and its CSRF token.
function signedIn(session) {
  state.user = session.user;
  setCsrf(session.csrf_token);
}

function signedOut(notice = null) {
  state.user = null;
  state.waiting = 0;
  state.reminders = 0;
  setCsrf(null);
  state.notice = notice;
}

async function refreshSession() {
  signedIn(await get('/api/session'));
  return state.user;
}

async function logout() {
  try {
    await del('/api/session', { redirect: false });
  } catch {
    /* gone already: signed out either way */
  }
  signedOut('login.logged_out');
  state.next = null;
  go('/login');
}

function renderChrome(path) {
  const user = state.user;
  const full = user && !user.must_change_password;
  const other = lang() === 'vi' ? 'en' : 'vi';
  const langBtn = $('lang');
  langBtn.setAttribute('lang', other);
  setText(langBtn, 'lang.other');
  $('who').hidden = !user;
  $('logout').hidden = !user;
  if (user) {
    $('who-name').textContent = user.display_name;
    $('who-name').lang = 'vi';
    $('who-unit').textContent = user.org_unit?.name ?? '';
    $('who-unit').lang = 'vi';
  }
  $('demo').hidden = !state.meta?.demo;
  if (state.meta?.demo) setText($('demo'), 'demo.banner', { n: state.meta.demo_persons ?? 0 });

  const nav = $('nav');
  nav.hidden = !full;
  const list = $('nav-list');
  list.replaceChildren();
  if (full)
    for (const item of NAV) {
      if (!allowed(item.roles, user, item.units)) continue;
      const a = h('a', { href: `#${item.path}`, i18n: item.key });
      if (item.path === path) a.setAttribute('aria-current', 'page');
      if (item.count === 'referrals') {
        a.id = 'nav-referrals';
        if (state.waiting) setText(a, 'nav.referrals_n', { n: state.waiting });
      }
      if (item.count === 'reminders') {
        a.id = 'nav-reports';
        if (state.reminders) setText(a, 'report.nav_n', { n: state.reminders });
      }
      list.append(h('li', {}, a));
    }
  document.body.classList.toggle('signed-in', Boolean(full));
  if (full && allowed(INTAKE_ROLES, user, RECEIVES)) refreshWaiting();
  if (full && allowed(REPORT_ROLES, user)) refreshReminders();
}

// The reminders of periodic reports (due, to review, missing), in the nav
// entry: "Báo cáo định kỳ (3)". Called on each route.
let remindSeq = 0;
async function refreshReminders() {
  const mine = ++remindSeq;
  let n;
  try {
    n = (await get('/api/reports/reminders', { redirect: false })).items?.length ?? 0;
  } catch {
    return;
  }
  if (mine !== remindSeq) return;
  state.reminders = n;
  const a = $('nav-reports');
  if (a) setText(a, n ? 'report.nav_n' : 'report.nav', { n });
}

// The referrals waiting for an answer in the user's inbox, in the nav entry:
// "Chuyển tuyến (2)". Called on each route and after a referral action.
let waitingSeq = 0;
async function refreshWaiting(inbox) {
  const mine = ++waitingSeq;
  let n = inbox?.sent;
  if (n === undefined) {
    try {
      n = (await get('/api/referrals?box=in', { redirect: false })).inbox?.sent ?? 0;
    } catch {
      return;
    }
  }
  if (mine !== waitingSeq) return;
  state.waiting = n;
  const a = $('nav-referrals');
  if (a) setText(a, n ? 'nav.referrals_n' : 'nav.referrals', { n });
}

function setTitle(key, args) {
  state.titleKey = key;
  state.titleArgs = args;
  document.title = `${t(key, args)} — ${t('app.short')}`;
}

async function route() {
  let path = currentPath();
  const user = state.user;
  if (!user && path !== '/login') {
    if (path && path !== '/login') state.next = path;
    if (location.hash !== '#/login') {
      location.replace('#/login');
      return;
    }
    path = '/login';
  } else if (user?.must_change_password && path !== '/password') {
    location.replace('#/password');
    return;
  } else if (user && (path === '/login' || path === '')) {
    location.replace('#/home');
    return;
  }
  let { page, args } = lookup(path);
  if (!page) page = { view: notFound };
  else if (!page.public && !allowed(page.roles, user, page.units)) {
    page = { view: notFound };
    args = { forbidden: true };
  }
  const token = ++state.rendering;
  renderChrome(page.nav ?? path);
  const main = $('main');
  const ctx = {
    user,
    meta: state.meta,
    notice: state.notice,
    args,
    go,
    setTitle,
    refreshSession,
    signedIn,
    refreshWaiting,
    // whether the signed-in user may open the page at hash ("#/persons")
    canOpen(hash) {
      const { page } = lookup(hash.replace(/^#/, ''));
      return Boolean(page) && allowed(page.roles, state.user, page.units);
    },
    // true while this page is still the one shown
    current: () => token === state.rendering,
    afterLogin() {
      const next = state.next && lookup(state.next).page && state.next !== '/login' ? state.next : '/home';
      state.next = null;
      state.notice = null;
      go(state.user?.must_change_password ? '/password' : next);
    },
  };
  state.notice = null;
  const el = page.view.render(ctx);
  main.replaceChildren(el);
  // Focus: the page's first field when it is a form page, else its heading,
  // so screen readers announce the new page.
  const first = main.querySelector('[data-autofocus]') ?? main.querySelector('h1');
  if (first) {
    if (first.tagName === 'H1') first.tabIndex = -1;
    first.focus({ preventScroll: false });
  }
}

// What every page gets once it is shown, and again whenever it changes
// (views fill themselves in as answers come): a legend "* required" at the
// top of each form that marks a required field (dom.js requiredMark), and
// each table container that scrolls sideways made a labelled region the
// keyboard can scroll (tabindex 0, its name the table's caption).
function enhance(root) {
  for (const form of root.querySelectorAll('form')) {
    if (!form.querySelector('.req') || form.querySelector(':scope > .req-legend')) continue;
    const legend = h('p', { class: 'req-legend hint' }, h('span', { class: 'req', 'aria-hidden': 'true', text: '* ' }),
      h('span', { i18n: 'form.required_legend' }));
    const head = form.firstElementChild;
    if (head && /^H[1-6]$/.test(head.tagName)) head.after(legend);
    else form.prepend(legend);
  }
  for (const wrap of root.querySelectorAll('.table-wrap')) {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    const caption = wrap.querySelector('caption')?.textContent.trim();
    if (scrolls) {
      wrap.tabIndex = 0;
      wrap.setAttribute('role', 'region');
      if (caption) wrap.setAttribute('aria-label', caption);
      else wrap.setAttribute('aria-label', t('table.scroll'));
    } else if (wrap.hasAttribute('role')) {
      wrap.removeAttribute('tabindex');
      wrap.removeAttribute('role');
      wrap.removeAttribute('aria-label');
    }
  }
}

let enhancing = false;
function enhanceSoon() {
  if (enhancing) return;
  enhancing = true;
  requestAnimationFrame(() => {
    enhancing = false;
    enhance($('main'));
  });
}

async function main() {
  await load();
  new MutationObserver(enhanceSoon).observe($('main'), { childList: true, subtree: true });
  window.addEventListener('resize', enhanceSoon);
  document.addEventListener('ctip:lang', enhanceSoon);
  on('unauthenticated', () => {
    if (!state.user) return;
    signedOut('login.expired');
    state.next = currentPath() || null;
    go('/login');
  });
  on('password_change_required', async () => {
    try {
      await refreshSession();
    } catch {
      return;
    }
    go('/password');
  });
  $('lang').addEventListener('click', async () => {
    await toggle();
    renderChrome(currentPath());
    apply(document);
    if (state.titleKey) setTitle(state.titleKey, state.titleArgs);
  });
  $('logout').addEventListener('click', logout);
  $('skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash.startsWith('#/') || location.hash === '') route();
  });

  const [meta, session] = await Promise.allSettled([
    get('/api/meta'),
    get('/api/session', { redirect: false }),
  ]);
  if (meta.status === 'fulfilled') state.meta = meta.value;
  if (session.status === 'fulfilled') signedIn(session.value);
  else if (session.reason?.code === 'network') state.notice = 'error.network';
  route();
}

main();
