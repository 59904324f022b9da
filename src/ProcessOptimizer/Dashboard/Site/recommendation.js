// The latest recommendation of a strategy, and the same layout for any run.
import { getJson, paths } from './api.js';
import { el, num, outcomeBadge, time } from './dom.js';
import { limitBar } from './limitbar.js';

const limitWords = {
  'hard-low': 'at hard minimum', 'hard-high': 'at hard maximum', 'move-low': 'at move limit (down)', 'move-high': 'at move limit (up)',
};

function decisionRow(row) {
  return el('tr', { dataset: { variable: row.variable } },
    el('th', { scope: 'row' }, row.variable, row.units ? el('span', { class: 'units' }, ` ${row.units}`) : null),
    el('td', { class: 'num', dataset: { field: 'current', value: row.current } }, num(row.current)),
    el('td', { class: 'num', dataset: { field: 'recommended', value: row.recommended } }, num(row.recommended)),
    el('td', { class: 'num', dataset: { field: 'move', value: row.move } }, row.move > 0 ? `+${num(row.move)}` : num(row.move)),
    el('td', {}, limitBar(row)),
    el('td', { dataset: { field: 'at-limit', value: row.at_limit ?? '' } }, row.at_limit ? el('span', { class: 'flag' }, `⚑ ${limitWords[row.at_limit]}`) : 'inside'));
}

const stateSymbols = { within: '●', near: '▲', violated: '✖' };

function constraintRow(row) {
  const band = `${row.op_min === null ? '−∞' : num(row.op_min)} … ${row.op_max === null ? '+∞' : num(row.op_max)}`;
  return el('tr', { dataset: { variable: row.variable } },
    el('th', { scope: 'row' }, row.variable),
    el('td', { class: 'num', dataset: { field: 'predicted', value: row.predicted } }, num(row.predicted)),
    el('td', { class: 'num' }, band),
    el('td', {}, el('span', { class: `badge state-${row.state}`, dataset: { state: row.state } }, `${stateSymbols[row.state]} ${row.state}`)));
}

/** The layout of one run: summary, decision variables, constraints, warnings, versions. */
export function explanation(run) {
  const models = Object.entries(run.model_versions ?? {});
  return el('div', { class: 'explanation', dataset: { runId: run.run_id } },
    el('dl', { class: 'summary' },
      el('dt', {}, 'Run'), el('dd', { dataset: { field: 'run-id', value: run.run_id } }, el('a', { href: `#/runs/${run.run_id}` }, `#${run.run_id}`)),
      el('dt', {}, 'Outcome'), el('dd', { dataset: { field: 'outcome', value: run.outcome } }, outcomeBadge(run.outcome)),
      el('dt', {}, 'Started'), el('dd', {}, time(run.started_at)),
      el('dt', {}, 'Data time'), el('dd', {}, time(run.data_timestamp)),
      el('dt', {}, 'Cost'), el('dd', { dataset: { field: 'cost', value: run.cost ?? '' } }, num(run.cost)),
      el('dt', {}, 'Solver'), el('dd', { dataset: { field: 'solver-status', value: run.solver_status ?? '' } }, run.solver_status ?? '–'),
      el('dt', {}, 'Iterations'), el('dd', { dataset: { field: 'iterations', value: run.iterations ?? '' } }, run.iterations ?? '–'),
      el('dt', {}, 'Cycle time'), el('dd', {}, `${num(run.duration_ms, 4)} ms`),
      el('dt', {}, 'Strategy version'), el('dd', { dataset: { field: 'strategy-version', value: run.strategy_version } }, run.strategy_version)),
    run.note ? el('p', { class: 'note' }, run.note) : null,
    el('h2', {}, 'Decision variables'),
    run.decisions.length
      ? el('table', { class: 'decisions' },
        el('caption', {}, 'Each variable may move within its move window (shaded), inside its hard limits (the whole bar). ○ current, ◆ recommended.'),
        el('thead', {}, el('tr', {}, ['Variable', 'Current', 'Recommended', 'Move', 'Limits', 'At limit'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, run.decisions.map(decisionRow)))
      : el('p', {}, 'This run has no decision variables to show.'),
    el('h2', {}, 'Constraints'),
    run.constraints.length
      ? el('table', { class: 'constraints' },
        el('thead', {}, el('tr', {}, ['Predicted variable', 'At recommendation', 'Band', 'State'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, run.constraints.map(constraintRow)))
      : el('p', {}, 'No constraint values in this run.'),
    el('h2', {}, 'Warnings'),
    run.warnings.length ? el('ul', { class: 'warnings' }, run.warnings.map((w) => el('li', {}, w))) : el('p', {}, 'None.'),
    el('h2', {}, 'Model artifacts'),
    models.length
      ? el('table', { class: 'models' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Key'), el('th', { scope: 'col' }, 'ETag'))),
        el('tbody', {}, models.map(([key, etag]) => el('tr', {}, el('td', {}, key), el('td', { class: 'mono' }, etag)))))
      : el('p', {}, 'No model artifacts.'));
}

export function recommendation(name, params) {
  const root = el('div', {}, el('h1', {}, `Latest recommendation · ${name}`));
  const body = el('div');
  root.append(body);
  return {
    title: 'Recommendation',
    root,
    async refresh() {
      const id = params.get('run') ?? (await getJson(paths(name).latest).catch((error) => {
        if (error.status === 404) return null;
        throw error;
      }))?.id;
      if (id === undefined || id === null) {
        body.replaceChildren(el('p', {}, 'No run is stored yet.'));
        return;
      }
      body.replaceChildren(explanation(await getJson(`/runs/${id}/recommendation`)));
    },
  };
}
