// Chart drawing with uPlot (a global from lib/uPlot.iife.min.js). Each chart joins series with different
// time stamps into one table, as uPlot wants one x column.
import { el, num } from './dom.js';

export const colours = {
  measured: '#1f5fa8', current: '#555555', recommended: '#d2691e', window: 'rgba(46, 139, 87, 0.18)',
  predicted: '#8b3fa8', actual: '#1f5fa8', bias: '#b22222', mae: '#2e8b57', cost: '#d2691e', duration: '#555555',
};

const lineOnly = { width: 1.5, points: { show: false }, spanGaps: true };
const pointsOnly = { width: 0, paths: () => null, points: { show: true, size: 6 } };

/**
 * One chart. `tables` are [times, ...columns] with their own times; `series` describe every column in order.
 * `onZoom(fromSeconds, toSeconds)` is called when a range is dragged out; `range` is [from, to] in seconds.
 */
export function chart({ title, tables, series, bands = [], axes, onZoom, range, height = 220, scales = {} }) {
  const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
  const box = el('figure', { class: 'chart', dataset: { chart: title, points: data[0].length } });
  const caption = el('figcaption', {}, title);
  box.append(caption);
  const plotArea = el('div', { class: 'plot' });
  box.append(plotArea);
  if (data[0].length === 0) {
    plotArea.append(el('p', { class: 'empty' }, 'No data in this range.'));
    return box;
  }
  const options = {
    width: Math.max(320, Math.min(1100, document.getElementById('main').clientWidth - 40)),
    height,
    cursor: { sync: { key: 'trends' }, drag: { x: true, y: false, setScale: false } },
    // Every chart spans the asked range, so charts line up and a single run is not stretched across the axis.
    scales: { x: { time: true, ...(range ? { range: () => range } : {}) }, ...scales },
    legend: { live: true },
    series: [{ label: 'time' }, ...series.map((s) => ({ ...(s.points ? pointsOnly : lineOnly), ...s }))],
    bands,
    axes,
    hooks: {
      setSelect: [(u) => {
        if (u.select.width > 4 && onZoom) onZoom(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x'));
        u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
      }],
    },
  };
  box.plot = new uPlot(options, data, plotArea);
  return box;
}

/** The outcome strip: one link per run, placed by time; symbol and word in the label, so colour is not the only cue. */
export function outcomeStrip(runs, from, to) {
  const span = Math.max(1, to - from);
  const strip = el('div', { class: 'strip', role: 'list', 'aria-label': 'Outcome of each run; each links to the run' });
  runs.times.forEach((t, i) => {
    const outcome = runs.outcomes[i];
    const left = ((t - from) / span) * 100;
    strip.append(el('a', {
      role: 'listitem',
      href: `#/runs/${runs.ids[i]}`,
      class: `tick outcome-${outcome}`,
      style: `left: ${Math.min(99.5, Math.max(0, left)).toFixed(3)}%`,
      title: `run #${runs.ids[i]}: ${outcome} at ${new Date(t * 1000).toLocaleString()}`,
      'aria-label': `run ${runs.ids[i]} ${outcome}`,
      dataset: { outcome, runId: runs.ids[i] },
    }));
  });
  return strip;
}

export const valueAxis = (label) => ({ label, values: (u, ticks) => ticks.map((v) => num(v, 4)), size: 70 });
