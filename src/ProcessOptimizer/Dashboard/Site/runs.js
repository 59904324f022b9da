// The runs table with its filter, and one run's page.
import { getJson, paths, query } from './api.js';
import { el, num, outcomeBadge, time } from './dom.js';
import { explanation } from './recommendation.js';

const outcomes = ['success', 'not-converged', 'infeasible', 'solver-failed', 'error', 'skipped-stale', 'skipped-no-new-data', 'skipped-bad-data'];

export function runsPage(name, params) {
  const root = el('div', { class: 'runs' }, el('h1', {}, `Runs · ${name}`));
  const outcome = el('select', { id: 'runs-outcome' }, new Option('any', ''), ...outcomes.map((o) => new Option(o, o, false, o === params.get('outcome'))));
  const hours = el('select', { id: 'runs-hours' }, ...[[1, '1 h'], [24, '24 h'], [168, '7 d'], [720, '30 d']].map(([h, label]) => new Option(label, h, false, h === Number(params.get('hours') ?? 24))));
  const text = el('input', { type: 'search', id: 'runs-text', placeholder: 'version or message' });
  const body = el('tbody');
  const count = el('p', { role: 'status', 'aria-live': 'polite' });
  let rows = [];

  function show() {
    const wanted = outcome.value;
    const words = text.value.trim().toLowerCase();
    const shown = rows.filter((r) => (!wanted || r.outcome === wanted)
      && (!words || `${r.strategy_version} ${r.message ?? ''} ${r.solver_status ?? ''}`.toLowerCase().includes(words)));
    count.textContent = `${shown.length} of ${rows.length} runs.`;
    body.replaceChildren(...shown.map((r) => el('tr', { dataset: { runId: r.id } },
      el('td', {}, el('a', { href: `#/runs/${r.id}` }, `#${r.id}`)),
      el('td', {}, time(r.started_at)),
      el('td', {}, time(r.data_timestamp)),
      el('td', {}, outcomeBadge(r.outcome)),
      el('td', {}, r.strategy_version),
      el('td', { class: 'num' }, num(r.cost)),
      el('td', { class: 'num' }, r.iterations ?? '–'),
      el('td', { class: 'num' }, num(r.duration_ms, 4)),
      el('td', { class: 'message' }, r.message ?? ''))));
  }

  async function refresh() {
    const status = await getJson(paths(name).status);
    const to = new Date(status.timestamp);
    const from = new Date(to.getTime() - Number(hours.value) * 3600 * 1000);
    rows = await getJson(`${paths(name).runs}${query({ from: from.toISOString(), to: to.toISOString(), limit: 10000 })}`);
    show();
  }

  outcome.addEventListener('change', show);
  text.addEventListener('input', show);
  hours.addEventListener('change', refresh);
  root.append(
    el('form', { class: 'inline filter', role: 'search', on: { submit: (e) => e.preventDefault() } },
      el('label', { for: 'runs-hours' }, 'Last '), hours, ' ',
      el('label', { for: 'runs-outcome' }, 'Outcome '), outcome, ' ',
      el('label', { for: 'runs-text' }, 'Text '), text),
    count,
    el('table', { class: 'runs-table' },
      el('thead', {}, el('tr', {}, ['Run', 'Started', 'Data time', 'Outcome', 'Version', 'Cost', 'Iterations', 'Cycle ms', 'Message'].map((h) => el('th', { scope: 'col' }, h)))),
      body));
  return { title: 'Runs', root, refresh };
}

export function runPage(id) {
  const root = el('div', { class: 'run' }, el('h1', {}, `Run #${id}`));
  const body = el('div');
  root.append(el('p', {}, el('a', { href: '#/runs' }, '← all runs')), body);
  return {
    title: `Run ${id}`,
    root,
    async refresh() {
      const [explained, run] = await Promise.all([getJson(`/runs/${id}/recommendation`), getJson(`/runs/${id}`)]);
      body.replaceChildren(
        explanation(explained),
        el('h2', {}, 'Every variable'),
        el('table', { class: 'all-variables' },
          el('thead', {}, el('tr', {}, ['Variable', 'Current', 'Recommended', 'Delta', 'Units'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, run.recommendations.map((r) => el('tr', { dataset: { variable: r.variable } },
            el('th', { scope: 'row' }, r.variable), el('td', { class: 'num' }, num(r.current)), el('td', { class: 'num' }, num(r.recommended)),
            el('td', { class: 'num' }, num(r.delta)), el('td', {}, r.units))))));
    },
  };
}
