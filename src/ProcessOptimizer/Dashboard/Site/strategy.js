// Versions in the store, the live one, a side-by-side diff, and the version switch with the API key.
import { apiKey, getJson, paths, switchVersion } from './api.js';
import { el, failure } from './dom.js';
import { diffTable } from './diff.js';

export function strategyPage(name) {
  const root = el('div', { class: 'strategy' }, el('h1', {}, `Strategy · ${name}`));
  const info = el('div');
  const diffBox = el('div', { class: 'diff-box' });
  const result = el('div', { role: 'status', 'aria-live': 'polite', id: 'switch-result' });
  root.append(info, diffBox);

  async function showDiff(left, right) {
    diffBox.replaceChildren(el('p', {}, 'Loading…'));
    try {
      const [a, b] = await Promise.all([getJson(paths(name).versionText(left)), getJson(paths(name).versionText(right))]);
      diffBox.replaceChildren(diffTable(left, a, right, b));
    } catch (error) {
      diffBox.replaceChildren(failure(error));
    }
  }

  async function refresh() {
    const summary = await getJson(paths(name).strategy);
    const versions = [...new Set([...(summary.available_versions ?? []), summary.version])].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
    const options = (selected) => versions.map((v) => new Option(v === summary.version ? `${v} (live)` : v, v, false, v === selected));
    const left = el('select', { id: 'diff-left' }, options(versions.find((v) => v !== summary.version) ?? summary.version));
    const right = el('select', { id: 'diff-right' }, options(summary.version));
    const target = el('select', { id: 'switch-version' }, options(summary.version));
    const key = el('input', { type: 'password', id: 'api-key', autocomplete: 'off', value: apiKey.get() });

    info.replaceChildren(
      el('p', {}, 'Live version: ', el('strong', { dataset: { field: 'live-version', value: summary.version } }, summary.version)),
      el('p', { class: 'mono' }, summary.summary),
      el('h2', {}, 'Versions in the store'),
      el('ul', { class: 'versions' }, versions.map((v) => el('li', { dataset: { version: v } }, v, v === summary.version ? el('strong', {}, ' · live') : null))),
      el('h2', {}, 'Compare two versions'),
      el('form', { class: 'inline', on: { submit: (e) => { e.preventDefault(); showDiff(left.value, right.value); } } },
        el('label', { for: 'diff-left' }, 'Left '), left, el('label', { for: 'diff-right' }, ' Right '), right, ' ', el('button', { type: 'submit' }, 'Compare')),
      el('h2', {}, 'Make a version live'),
      el('p', {}, 'The service checks the version and loads its models before it goes live. The API key is kept in this tab only, until it closes.'),
      el('form', { class: 'inline', id: 'switch-form', on: { submit: async (e) => {
        e.preventDefault();
        apiKey.set(key.value);
        result.replaceChildren(el('p', {}, `Switching to ${target.value}…`));
        try {
          const answer = await switchVersion(name, target.value, key.value);
          result.replaceChildren(el('p', { class: 'ok', dataset: { outcome: 'switched' } }, answer.message ?? `Version ${target.value} is live.`));
          await refresh();
        } catch (error) {
          const words = error.status === 401 || error.status === 403 ? 'Refused: this needs a valid API key. ' : 'Refused. ';
          result.replaceChildren(el('p', { class: 'error', role: 'alert', dataset: { outcome: 'refused', status: error.status ?? '' } }, words + error.message));
        }
      } } },
        el('label', { for: 'switch-version' }, 'Version '), target, ' ',
        el('label', { for: 'api-key' }, 'API key '), key, ' ',
        el('button', { type: 'submit' }, 'Make live'), ' ',
        el('button', { type: 'button', on: { click: () => { apiKey.set(''); key.value = ''; } } }, 'Forget key')),
      result);
    if (!diffBox.hasChildNodes()) await showDiff(left.value, right.value);
  }

  return { title: 'Strategy', root, refresh };
}
