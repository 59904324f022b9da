// A decision variable's limits as one bar: the hard range is the whole width, the move window is shaded,
// ○ marks the current value and ◆ the recommendation. The words are in the title and the label too.
import { num } from './dom.js';

const svgNs = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const node = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

export function limitBar(row) {
  const width = 220;
  const height = 22;
  const lo = Math.min(row.hard_low, row.current, row.recommended);
  const hi = Math.max(row.hard_high, row.current, row.recommended);
  const x = (v) => (hi > lo ? 6 + ((v - lo) / (hi - lo)) * (width - 12) : width / 2);
  const words = `hard limits ${num(row.hard_low)} to ${num(row.hard_high)}, move window ${num(row.move_low)} to ${num(row.move_high)}, current ${num(row.current)}, recommended ${num(row.recommended)}`;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': words, class: 'limitbar' });
  const title = svg('title', {});
  title.textContent = words;
  root.append(title);
  root.append(svg('rect', { x: x(row.hard_low), y: 8, width: Math.max(1, x(row.hard_high) - x(row.hard_low)), height: 6, class: 'hard' }));
  root.append(svg('rect', { x: x(row.move_low), y: 4, width: Math.max(2, x(row.move_high) - x(row.move_low)), height: 14, class: 'window' }));
  root.append(svg('circle', { cx: x(row.current), cy: 11, r: 5, class: 'current' }));
  const r = x(row.recommended);
  root.append(svg('path', { d: `M${r} 4 L${r + 6} 11 L${r} 18 L${r - 6} 11 Z`, class: 'recommended' }));
  return root;
}
