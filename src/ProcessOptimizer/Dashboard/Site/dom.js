// Small helpers to build elements and format values; every page uses them.

/** Creates an element: el('td', {class: 'num', dataset: {value: 3}}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A number for reading: six significant digits at most, no exponent for plant-sized values. */
export function num(value, digits = 6) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e9) return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  return value.toExponential(3);
}

export function pct(share) {
  return share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)} %`;
}

/** A time as the operator's local clock shows it, with the date when it is not today. */
export function time(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

export function age(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

// Outcomes carry a symbol and a word besides their colour, so colour is never the only cue.
const outcomeSymbols = {
  success: '✓', infeasible: '✗', 'solver-failed': '✗', 'not-converged': '~', error: '!',
  'skipped-stale': '–', 'skipped-no-new-data': '–', 'skipped-bad-data': '–',
};

export function outcomeBadge(outcome) {
  return el('span', { class: `badge outcome-${outcome}`, dataset: { outcome } }, `${outcomeSymbols[outcome] ?? '?'} ${outcome}`);
}

const healthSymbols = { healthy: '●', degraded: '▲', unhealthy: '✖' };

export function healthBadge(health) {
  return el('span', { class: `badge health-${health}`, dataset: { health } }, `${healthSymbols[health] ?? '?'} ${health}`);
}

/** A message in the page for a failed request, with what failed. */
export function failure(error) {
  return el('p', { class: 'error', role: 'alert' }, error.message ?? String(error));
}
