// Backtests: a form that starts one (with the API key), its progress with the time left, then the comparison
// table and the report's charts. The report is the service's own /backtests/{id}/report, shown in a frame.
import { apiKey, getJson, paths, startBacktest, cancelBacktest } from './api.js';
import { el, failure, num, pct } from './dom.js';

const outcomes = ['success', 'infeasible', 'not-converged', 'solver-failed', 'skipped-stale', 'skipped-no-new-data', 'skipped-bad-data', 'error'];

export function backtestsPage(name, params) {
  const root = el('div', { class: 'backtests' }, el('h1', {}, `Backtest · ${name}`));
  const status = el('div', { role: 'status', 'aria-live': 'polite', id: 'backtest-status' });
  const results = el('div', { id: 'backtest-results' });
  let timer = null;

  function comparison(summary) {
    const rows = Object.entries(summary.versions).map(([version, s]) => {
      const quality = Object.values(s.model_quality)[0];
      return el('tr', { dataset: { version } }, el('td', {}, version), el('td', { class: 'num' }, s.steps),
        outcomes.map((o) => el('td', { class: 'num' }, s.outcomes[o] ?? 0)),
        el('td', { class: 'num' }, num(s.cost.mean)), el('td', { class: 'num' }, num(quality?.mae)), el('td', { class: 'num' }, num(s.if_followed.saving)));
    });
    return el('table', { class: 'comparison' },
      el('thead', {}, el('tr', {}, el('th', {}, 'version'), el('th', {}, 'steps'), outcomes.map((o) => el('th', {}, o)),
        el('th', {}, 'mean cost'), el('th', {}, 'model MAE'), el('th', {}, 'if followed (model estimate)'))),
      el('tbody', {}, rows));
  }

  async function follow(id) {
    clearTimeout(timer);
    const state = await getJson(`/backtests/${id}`);
    const share = state.steps_total ? state.steps_done / state.steps_total : 0;
    const eta = state.eta_seconds == null ? '' : `, about ${Math.ceil(state.eta_seconds)} s left`;
    status.replaceChildren(...[
      el('p', { dataset: { status: state.status } }, `Backtest ${id}: ${state.status}, ${state.steps_done} of ${state.steps_total} steps (${pct(share)})${eta}.`),
      el('progress', { max: state.steps_total || 1, value: state.steps_done, 'aria-label': 'Backtest progress' }),
      state.status === 'running' ? el('button', { type: 'button', on: { click: async () => { await cancelBacktest(id, apiKey.get()); follow(id); } } }, 'Cancel') : null,
      state.error ? el('p', { class: 'error' }, state.error) : null].filter(Boolean));
    if (state.status === 'running') {
      timer = setTimeout(() => follow(id).catch((e) => status.append(failure(e))), 1000);
    } else if (state.summary) {
      results.replaceChildren(el('h2', {}, 'Comparison'), comparison(state.summary),
        el('p', {}, el('a', { href: `/backtests/${id}/report`, target: '_blank' }, 'Open the report on its own page')),
        el('iframe', { src: `/backtests/${id}/report`, title: `Backtest ${id} report`, class: 'report' }));
    }
  }

  async function refresh() {
    const summary = await getJson(paths(name).strategy);
    const versions = [...new Set([...(summary.available_versions ?? []), summary.version])].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
    const field = (id, label, attrs) => [el('label', { for: id }, label), el('input', { id, ...attrs }), ' '];
    const key = el('input', { type: 'password', id: 'backtest-key', autocomplete: 'off', value: apiKey.get() });
    const form = el('form', { class: 'inline', id: 'backtest-form', on: { submit: async (e) => {
      e.preventDefault();
      apiKey.set(key.value);
      const data = new FormData(form);
      const body = { from: new Date(data.get('from')).toISOString(), to: new Date(data.get('to')).toISOString(), step: data.get('step') || null, versions: data.getAll('version') };
      try {
        const started = await startBacktest(name, body, key.value);
        location.hash = `#/backtests?strategy=${encodeURIComponent(name)}&id=${started.id}`;
      } catch (error) {
        status.replaceChildren(failure(error));
      }
    } } },
      field('backtest-from', 'From ', { name: 'from', type: 'datetime-local', required: true }),
      field('backtest-to', 'To ', { name: 'to', type: 'datetime-local', required: true }),
      field('backtest-step', 'Step ', { name: 'step', placeholder: '5m', size: 5 }),
      el('fieldset', {}, el('legend', {}, 'Versions'), versions.map((v) => el('label', {}, el('input', { type: 'checkbox', name: 'version', value: v, checked: v === summary.version }), ` ${v} `))),
      el('label', { for: 'backtest-key' }, 'API key '), key, ' ', el('button', { type: 'submit' }, 'Start backtest'));
    root.replaceChildren(root.firstChild, el('p', {}, 'Replays versions over past data with the loop\'s own cycle, behind the live loop and /optimize.'), form, status, results);
    if (params.get('id')) await follow(params.get('id'));
  }

  return { title: 'Backtest', root, refresh };
}
