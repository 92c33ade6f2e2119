// The Database card: rows per table of the table API's project, and what changed since the last count.

import { $, fill, h } from './dom.js';
import { api, on, state } from './state.js';
import { busy, debounce, showError } from './ui.js';
import * as fmt from './format.js';

/** The change from before to now, or null when there is nothing to compare or nothing changed. */
export function statsDelta(now, before) {
  if (before === null || before === undefined || Number(now) === Number(before)) return null;
  return Number(now) - Number(before);
}

/** The tables of a stats answer, their names sorted, and the total of their rows. */
export function tableTotals(stats) {
  const tables = stats && typeof stats.tables === 'object' && stats.tables ? stats.tables : {};
  const names = Object.keys(tables).sort();
  const total = names.reduce((sum, t) => sum + Number(tables[t] || 0), 0);
  return { tables, names, total };
}

let statsSeq = 0;

export async function loadStats() {
  const seq = ++statsSeq;
  const card = $('#stats-card');
  card.setAttribute('aria-busy', 'true');
  try {
    const stats = await api.get('/api/backup/stats');
    if (seq !== statsSeq) return;
    renderStats(stats);
    showError('#stats-error', null);
  } catch (e) {
    if (seq === statsSeq) showError('#stats-error', e);
  } finally {
    if (seq === statsSeq) card.removeAttribute('aria-busy');
  }
}
export const scheduleStats = debounce(loadStats, 200);

function delta(now, before) {
  const diff = statsDelta(now, before);
  if (diff === null) return null;
  return h('span', { class: `delta ${diff > 0 ? 'up' : 'down'}`, title: 'since the previous count' },
    ` ${diff > 0 ? '+' : '−'}${fmt.int(Math.abs(diff))}`);
}

function renderStats(stats) {
  const { tables, names, total } = tableTotals(stats);
  const previous = state.previousTables;
  fill($('#stat-total'), h('span', { class: 'count', text: fmt.int(total) }), delta(total, state.previousTotal));
  $('#stat-size').textContent = stats.database_size_mb !== undefined ? `${stats.database_size_mb} MB` : '–';
  const counted = Date.parse(stats.timestamp);
  $('#stat-time').textContent = Number.isNaN(counted) ? '–' : fmt.when(counted / 1000);
  fill($('#stats-table tbody'), names.map((name) => h('tr', { dataset: { table: name } },
    h('th', { scope: 'row', text: name }),
    h('td', { class: 'num' }, h('span', { class: 'count', text: fmt.int(tables[name]) }), previous ? delta(tables[name], previous[name] ?? 0) : null))));
  state.previousTables = tables;
  state.previousTotal = total;
  state.knownTables = names;
}

export function resetStats() {
  fill($('#stats-table tbody'));
  showError('#stats-error', null);
  for (const id of ['#stat-total', '#stat-size', '#stat-time']) $(id).textContent = '–';
}

export function wireStats() {
  $('#stats-refresh').addEventListener('click', (e) => busy(e.currentTarget, loadStats));
  // a restore or an import changed the rows
  on('job-ended', (job) => {
    if (job.status === 'done' && (job.job === 'restore_project' || job.job === 'import_data')) scheduleStats();
  });
}
