// Overview: one card per strategy with its health at a glance.
import { getJson, paths, query } from './api.js';
import { el, age, failure, healthBadge, num, outcomeBadge, pct, time } from './dom.js';

function field(label, name, value, raw) {
  return [el('dt', {}, label), el('dd', { dataset: { field: name, value: raw ?? '' } }, value)];
}

function card(name, status) {
  const last = status.last_run;
  const link = (page) => `#/${page}${query({ strategy: name })}`;
  return el('section', { class: `card health-${status.health}`, 'aria-labelledby': `title-${name}`, dataset: { strategy: name } },
    el('h2', { id: `title-${name}` }, name, ' ', healthBadge(status.health)),
    status.reasons.length ? el('ul', { class: 'reasons' }, status.reasons.map((r) => el('li', {}, r))) : null,
    el('dl', {},
      field('Deployed version', 'version', status.deployed_version ?? 'none loaded', status.deployed_version),
      field('Mode', 'mode', status.mode === 'api' ? 'api (no loop: recorded runs only)' : status.mode, status.mode),
      field('Last cycle', 'last-run', last ? [el('a', { href: `#/runs/${last.id}` }, `#${last.id}`), ' ', time(last.started_at)] : 'none yet', last?.id),
      field('Outcome', 'last-outcome', last ? outcomeBadge(last.outcome) : '–', last?.outcome),
      field('Data time', 'data-time', time(last?.data_timestamp), last?.data_timestamp),
      field('Data freshness', 'freshness', status.data.newest_row
        ? `${status.data.fresh ? 'fresh' : 'stale'}: newest row ${age(status.data.age_seconds)} old`
        : 'no data', status.data.age_seconds),
      field('Service factor 24 h', 'sf-24h', `${pct(status.service_factor24h.share)} (${status.service_factor24h.usable} of ${status.service_factor24h.total})`, status.service_factor24h.share),
      field('Service factor 7 d', 'sf-7d', `${pct(status.service_factor7d.share)} (${status.service_factor7d.usable} of ${status.service_factor7d.total})`, status.service_factor7d.share),
      field('Next cycle', 'next-cycle', status.next_cycle_at ? time(status.next_cycle_at) : status.mode === 'api' ? 'no loop in api mode' : '–', status.next_cycle_at),
      field('Cycle interval', 'interval', `${num(status.interval_seconds)} s`, status.interval_seconds)),
    el('p', { class: 'links' },
      el('a', { href: link('recommendation') }, 'Latest recommendation'), ' · ',
      el('a', { href: link('trends') }, 'Trends'), ' · ',
      el('a', { href: link('runs') }, 'Runs')));
}

export function overview(_name, _params, all) {
  const root = el('div', { class: 'overview' }, el('h1', {}, 'Overview'));
  const cards = el('div', { class: 'cards' });
  root.append(cards);
  return {
    title: 'Overview',
    root,
    async refresh() {
      const shown = await Promise.all(all.map(async (name) => {
        try {
          return card(name, await getJson(paths(name).status));
        } catch (error) {
          return el('section', { class: 'card', dataset: { strategy: name } }, el('h2', {}, name), failure(error));
        }
      }));
      cards.replaceChildren(...shown);
    },
  };
}
