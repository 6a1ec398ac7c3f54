// The console's router: #/login, #/alerts?filters, #/alert/<id>, #/rules, #/traffic, #/health.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { ApiError, getJson, postJson, setCsrfToken } from './api.ts';
import { errorBox, show } from './dom.ts';
import { alertPage } from './pages/alert.ts';
import { alertsPage } from './pages/alerts.ts';
import { healthPage } from './pages/health.ts';
import { loginPage } from './pages/login.ts';
import { rulesPage } from './pages/rules.ts';
import { trafficPage } from './pages/traffic.ts';
import { stopLiveUpdates } from './live.ts';

const nav = document.getElementById('nav') as HTMLElement;

async function route(): Promise<void> {
  stopLiveUpdates();
  const hash = location.hash.slice(1) || '/alerts';
  const [path = '', queryText = ''] = hash.split('?');
  const query = new URLSearchParams(queryText);
  if (path !== '/login') {
    const session = await getJson<{ user: string | null; csrfToken: string | null }>('/api/session').catch(() => undefined);
    if (session?.user == null) return; // answer() already sent the page to #/login
    setCsrfToken(session.csrfToken);
  }
  nav.hidden = path === '/login';
  for (const link of nav.querySelectorAll('a')) {
    if (path.startsWith(link.getAttribute('href')?.slice(1) ?? '-')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    if (path === '/login') return loginPage();
    if (path === '/alerts') return await alertsPage(query);
    if (path.startsWith('/alert/')) return await alertPage(decodeURIComponent(path.slice('/alert/'.length)));
    if (path === '/rules') return await rulesPage();
    if (path === '/traffic') return await trafficPage(query);
    if (path === '/health') return await healthPage(query);
    show(errorBox(`No page ${path}`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    show(errorBox(error instanceof Error ? error.message : String(error)));
  }
}

document.getElementById('logout')?.addEventListener('click', () => {
  void postJson('/api/logout', {}).finally(() => {
    setCsrfToken(null);
    location.hash = '#/login';
  });
});
window.addEventListener('hashchange', () => void route());
void route();
