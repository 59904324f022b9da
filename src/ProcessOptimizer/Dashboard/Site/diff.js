// A line diff (longest common subsequence) of two texts, laid out side by side.
import { el } from './dom.js';

/** Rows of [left line or null, right line or null, kind], kind being same, removed, added or changed. */
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..]; strategies are a few thousand lines at most.
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const rows = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { rows.push([i, j, 'same']); i++; j++; }
    else if (j < m && (i === n || lengths[i][j + 1] >= lengths[i + 1][j])) { rows.push([null, j, 'added']); j++; }
    else { rows.push([i, null, 'removed']); i++; }
  }
  return rows;
}

const marks = { same: ' ', removed: '−', added: '+' };

/** The side-by-side table; changed lines carry − and + besides their colour. */
export function diffTable(leftName, left, rightName, right) {
  const a = left.split('\n');
  const b = right.split('\n');
  const rows = diffLines(a, b);
  const changes = rows.filter((r) => r[2] !== 'same').length;
  const cells = (index, lines, kind) => index === null
    ? [el('td', { class: 'ln' }), el('td', { class: 'code empty' })]
    : [el('td', { class: 'ln' }, index + 1), el('td', { class: `code ${kind}` }, `${marks[kind]} ${lines[index]}`)];
  return el('div', { class: 'diff', dataset: { changes } },
    el('p', {}, changes ? `${changes} changed lines.` : 'The two versions are identical.'),
    el('table', {},
      // Fixed layout takes its widths from here: narrow line numbers, the rest for the text.
      el('colgroup', {}, el('col', { class: 'ln' }), el('col'), el('col', { class: 'ln' }), el('col')),
      el('thead', {}, el('tr', {}, el('th', { colspan: 2, scope: 'col' }, leftName), el('th', { colspan: 2, scope: 'col' }, rightName))),
      el('tbody', {}, rows.map(([i, j, kind]) => el('tr', { class: kind }, cells(i, a, kind), cells(j, b, kind))))));
}
