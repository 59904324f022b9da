// Trends over 1 h to 7 d: decision variables against their recommendations and move windows, predictions
// against what was measured next, cost, cycle time and outcomes. Dragging across a chart zooms every chart,
// and the server sends the zoomed range at full resolution.
import { getJson, paths, query } from './api.js';
import { el, failure, num } from './dom.js';
import { chart, colours, outcomeStrip, valueAxis } from './charts.js';

const ranges = [['1 h', 1], ['6 h', 6], ['24 h', 24], ['3 d', 72], ['7 d', 168]];

function localInput(seconds) {
  const date = new Date(seconds * 1000);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export function trends(name, params) {
  const root = el('div', { class: 'trends' }, el('h1', {}, `Trends · ${name}`));
  const view = { hours: Number(params.get('hours') ?? 24), from: null, to: null };
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const charts = el('div', { class: 'charts' });
  const fromInput = el('input', { type: 'datetime-local', id: 'trend-from' });
  const toInput = el('input', { type: 'datetime-local', id: 'trend-to' });

  const buttons = ranges.map(([label, hours]) => el('button', {
    type: 'button', dataset: { hours }, 'aria-pressed': String(hours === view.hours),
    on: { click: () => { Object.assign(view, { hours, from: null, to: null }); load(); } },
  }, label));
  root.append(
    el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Time range' }, buttons,
      el('form', { class: 'range', on: { submit: (e) => {
        e.preventDefault();
        if (fromInput.value && toInput.value) {
          Object.assign(view, { from: new Date(fromInput.value).getTime() / 1000, to: new Date(toInput.value).getTime() / 1000 });
          load();
        }
      } } },
      el('label', { for: 'trend-from' }, 'From '), fromInput, el('label', { for: 'trend-to' }, ' To '), toInput,
      el('button', { type: 'submit' }, 'Show'))),
    el('p', { class: 'hint' }, 'Drag across a chart to zoom into that time; the buttons go back to a fixed range.'),
    status, charts);

  const zoom = (from, to) => { Object.assign(view, { from, to }); load(); };

  async function load() {
    for (const b of buttons) b.setAttribute('aria-pressed', String(view.from === null && Number(b.dataset.hours) === view.hours));
    const started = performance.now();
    // The service's clock decides "now", so a range ends at its latest data even when the browser's clock differs.
    const now = Date.parse((await getJson(paths(name).status)).timestamp) / 1000;
    const to = view.to ?? now;
    const from = view.from ?? to - view.hours * 3600;
    fromInput.value = localInput(from);
    toInput.value = localInput(to);
    const points = Math.round(Math.min(2000, Math.max(200, charts.clientWidth || 1000)));
    const report = await getJson(`${paths(name).trends}${query({ from: new Date(from * 1000).toISOString(), to: new Date(to * 1000).toISOString(), points })}`);
    const fetched = performance.now();
    charts.replaceChildren(...draw(report, from, to, zoom));
    // uPlot paints on the next frames: the time counts until they are on screen.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const drawn = performance.now();
    const total = report.measured.reduce((n, s) => n + s.times.length, 0);
    status.textContent = `${report.runs_in_range} runs and ${total} measured points; fetched in ${Math.round(fetched - started)} ms, drawn in ${Math.round(drawn - fetched)} ms.`;
    Object.assign(root.dataset, { fetchMs: Math.round(fetched - started), drawMs: Math.round(drawn - fetched) });
  }

  return { title: 'Trends', root, refresh: () => load().catch((error) => charts.replaceChildren(failure(error))) };
}

function draw(report, from, to, zoom) {
  const measured = Object.fromEntries(report.measured.map((s) => [s.variable, s]));
  const used = new Set();
  const figures = [];
  const runs = report.runs;
  figures.push(el('section', { class: 'outcomes', 'aria-label': 'Outcomes' }, el('h2', {}, 'Outcome of each run'), outcomeStrip(runs, from, to),
    el('p', { class: 'legend' }, ['success', 'not-converged', 'infeasible', 'solver-failed', 'error', 'skipped-stale'].map((o) => el('span', { class: `key outcome-${o}` }, o)))));

  for (const d of report.decisions) {
    used.add(d.variable);
    const m = measured[d.variable];
    const tables = [[d.times, d.current, d.recommended, d.low, d.high]];
    const series = [
      { label: 'at cycle', stroke: colours.current, points: true, fill: colours.current },
      { label: 'recommended', stroke: colours.recommended, width: 2, points: { show: true, size: 5 }, spanGaps: true },
      { label: 'move window low', stroke: 'rgba(46,139,87,0.6)', width: 1 },
      { label: 'move window high', stroke: 'rgba(46,139,87,0.6)', width: 1 },
    ];
    if (m) {
      tables.push([m.times, m.mean]);
      series.push({ label: 'measured', stroke: colours.measured, width: 1.5 });
    }
    figures.push(chart({ title: `${d.variable}${d.units ? ` (${d.units})` : ''}`, tables, series, bands: [{ series: [4, 3], fill: colours.window }], axes: [{}, valueAxis(d.units)], onZoom: zoom, range: [from, to] }));
  }

  for (const p of report.predictions) {
    used.add(p.variable);
    if (p.measured) used.add(p.measured);
    const tables = [[p.times, p.predicted, p.actual, p.running_bias, p.running_mae]];
    const series = [
      { label: 'predicted', stroke: colours.predicted, points: true, fill: colours.predicted },
      { label: `measured ${num(p.horizon_seconds)} s later`, stroke: colours.actual, width: 2, points: { show: true, size: 4 } },
      { label: 'running bias', stroke: colours.bias, scale: 'err', width: 1, dash: [4, 3] },
      { label: 'running MAE', stroke: colours.mae, scale: 'err', width: 1, dash: [2, 2] },
    ];
    const fig = chart({
      title: `${p.variable} against ${p.measured ?? 'no measured tag'}`,
      tables, series, scales: { err: {} },
      axes: [{}, valueAxis(p.units), { scale: 'err', side: 1, label: 'bias, MAE', grid: { show: false }, values: (u, t) => t.map((v) => num(v, 3)) }],
      onZoom: zoom, range: [from, to],
    });
    fig.append(el('p', { class: 'quality', dataset: { bias: p.bias ?? '', mae: p.mae ?? '' } },
      p.pairs ? `Over ${p.pairs} predictions: bias ${num(p.bias, 4)}, mean absolute error ${num(p.mae, 4)}.` : 'No prediction has a later measurement yet.'));
    figures.push(fig);
  }

  for (const m of report.measured.filter((s) => !used.has(s.variable))) {
    figures.push(chart({
      title: `${m.variable}${m.units ? ` (${m.units})` : ''}`,
      tables: [[m.times, m.mean, m.min, m.max]],
      series: [{ label: 'mean', stroke: colours.measured, width: 1.5 }, { label: 'min', stroke: '#9ab', width: 0.5 }, { label: 'max', stroke: '#9ab', width: 0.5 }],
      bands: [{ series: [3, 2], fill: 'rgba(31,95,168,0.12)' }],
      axes: [{}, valueAxis(m.units)], onZoom: zoom, range: [from, to],
    }));
  }

  figures.push(chart({ title: 'Cost at the recommendation', tables: [[runs.times, runs.costs]], series: [{ label: 'cost', stroke: colours.cost, width: 1.5, points: { show: true, size: 4 } }], axes: [{}, valueAxis('cost')], onZoom: zoom, range: [from, to] }));
  figures.push(chart({ title: 'Cycle time', tables: [[runs.times, runs.durations_ms]], series: [{ label: 'ms', stroke: colours.duration, width: 1.5, points: { show: true, size: 4 } }], axes: [{}, valueAxis('ms')], onZoom: zoom, range: [from, to] }));
  return figures;
}
