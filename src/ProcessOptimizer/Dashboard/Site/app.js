// The dashboard's shell: routes #/page?params to a page, keeps the chosen strategy, and polls so that every
// page updates itself when a cycle completes.
import { strategies, getJson, paths, defaultStrategy } from './api.js';
import { failure, time } from './dom.js';
import { overview } from './overview.js';
import { recommendation } from './recommendation.js';
import { trends } from './trends.js';
import { strategyPage } from './strategy.js';
import { runsPage, runPage } from './runs.js';
import { backtestsPage } from './backtests.js';

const pages = { overview, recommendation, trends, strategy: strategyPage, runs: runsPage, backtests: backtestsPage };

// Short polling: one small request per interval; a new stored run (or a changed live version) refreshes the page.
const pollMilliseconds = 3000;

const state = { strategies: [defaultStrategy], current: null, seen: null };

function route() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(search);
  const [page, id] = path.split('/');
  return { page: page || 'overview', id, params };
}

function strategyName(params) {
  const asked = params.get('strategy');
  return asked && state.strategies.includes(asked) ? asked : document.getElementById('strategy').value || state.strategies[0];
}

async function render() {
  const { page, id, params } = route();
  const main = document.getElementById('main');
  const name = strategyName(params);
  document.getElementById('strategy').value = name;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = page === 'runs' && id ? runPage(id) : (pages[page] ?? overview)(name, params, state.strategies);
  state.current = view;
  main.replaceChildren(view.root);
  main.dataset.page = page;
  document.title = `${view.title} · Process Optimizer`;
  try {
    await view.refresh();
  } catch (error) {
    view.root.append(failure(error));
  }
}

async function poll() {
  const name = document.getElementById('strategy').value || defaultStrategy;
  try {
    const status = await getJson(paths(name).status);
    const mark = `${status.last_run?.id ?? ''}|${status.deployed_version ?? ''}`;
    const live = document.getElementById('live');
    live.textContent = status.last_run ? `Last cycle ${time(status.last_run.started_at)}` : 'No cycle yet';
    live.dataset.lastRunId = status.last_run?.id ?? '';
    if (state.seen !== null && mark !== state.seen && state.current?.refresh) {
      await state.current.refresh();
    }
    state.seen = mark;
  } catch {
    document.getElementById('live').textContent = 'Service not reachable';
  } finally {
    setTimeout(poll, pollMilliseconds);
  }
}

async function start() {
  const select = document.getElementById('strategy');
  try {
    state.strategies = await strategies();
  } catch (error) {
    document.getElementById('main').append(failure(error));
  }
  select.replaceChildren(...state.strategies.map((name) => new Option(name, name)));
  select.addEventListener('change', () => {
    const { page, params } = route();
    params.set('strategy', select.value);
    state.seen = null;
    location.hash = `#/${page}?${params}`;
  });
  window.addEventListener('hashchange', render);
  await render();
  poll();
}

start();
