// The application: reads a token given once as ?token=, then shows the page the hash names.
import { loadLanguage, language, t } from './i18n.js';
import { token, keep, forget, whoAmI } from './session.js';
import { fill, h } from './dom.js';
import { showSignIn } from './signin.js';
import { showLineage } from './lineage.js';
import { showRuns, showRun } from './runs.js';
import { showJobs } from './jobs.js';
import { showChecks } from './checks.js';
import { showDashboards, showDashboard } from './dashboards.js';

const view = document.getElementById('view');
/** Called when the page changes: stops the previous page's timers. */
let leave = () => {};

function takeTokenFromAddress() {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given) {
    keep(given.trim());
    url.searchParams.delete('token');
    // The token must not stay in the address bar nor in the history.
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
}

/** '#/runs/abc?x=1' → {parts: ['runs', 'abc'], query: URLSearchParams} */
function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

async function render() {
  leave();
  leave = () => {};
  const { parts, query } = route();
  const page = parts[0] || 'dashboards';
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.dataset.nav === page);
    if (link.dataset.nav === page) link.setAttribute('aria-current', 'page');
  }
  if (page === 'signin') {
    showSession(null);
    showSignIn(view, query.get('next'));
    return;
  }
  if (!token()) {
    location.hash = `#/signin?next=${encodeURIComponent(location.hash || '#/')}`;
    return;
  }
  try {
    showSession(await whoAmI());
  } catch (e) {
    return; // a 401 has sent the user to the sign-in page
  }
  fill(view, h('p', { class: 'loading' }, t('loading')));
  const pages = {
    dashboards: () => (parts[1] ? showDashboard(view, parts[1], query) : showDashboards(view)),
    assets: () => showLineage(view, query),
    runs: () => (parts[1] ? showRun(view, parts[1]) : showRuns(view, query)),
    jobs: () => showJobs(view),
    checks: () => showChecks(view),
  };
  const show = pages[page];
  if (!show) {
    fill(view, h('div', { class: 'page' }, h('h1', {}, t('notfound.title')), h('p', {}, t('notfound.text'))));
    return;
  }
  try {
    leave = (await show()) || (() => {});
  } catch (e) {
    if (e.status !== 401) {
      fill(view, h('div', { class: 'page' }, h('p', { class: 'error', role: 'alert' }, e.message)));
    }
  }
}

function showSession(me) {
  const who = document.getElementById('who');
  const signOut = document.getElementById('signout');
  if (!me) {
    who.textContent = '';
    signOut.hidden = true;
    return;
  }
  who.textContent = `${me.subject} · ${t(`role.${me.role}`) === `role.${me.role}` ? me.role : t(`role.${me.role}`)}`;
  signOut.hidden = false;
}

async function start() {
  takeTokenFromAddress();
  await loadLanguage();
  const select = document.getElementById('language');
  select.value = language();
  select.addEventListener('change', async () => {
    await loadLanguage(select.value);
    render();
  });
  document.getElementById('signout').addEventListener('click', () => {
    forget();
    location.hash = '#/signin';
  });
  window.addEventListener('hashchange', () => {
    render();
    view.focus({ preventScroll: true });
  });
  render();
}

start();
