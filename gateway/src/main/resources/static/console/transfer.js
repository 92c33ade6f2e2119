// The Export & import card: the JSON export downloaded with progress, and an import previewed locally,
// confirmed, uploaded with progress, and its result per table (also when it ends later, as a job).

import { $, fill, h, progressBar, show } from './dom.js';
import { errorFrom, readError } from './api.js';
import { inspect, SUPPORTED_VERSION } from './importfile.js';
import { emit, on, session, state } from './state.js';
import { busy, confirmDialog, notify, showError } from './ui.js';
import { failureText, remember, scheduleJobsRender, upsertJob } from './jobs.js';
import { loadStats } from './stats.js';
import * as fmt from './format.js';

const SOURCES = { parsed: 'counted in the file', counts: 'from the document’s counts', scanned: 'counted by reading the file' };

// ---------------------------------------------------------------------------------------------------
// what the files and answers say (no page, no requests)

/** The file name of a Content-Disposition header (filename* first), without path separators, or null. */
export function filenameFrom(disposition) {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*"((?:[^"\\]|\\.)*)"|filename\s*=\s*([^;\s]+)/.exec(disposition);
  const name = plain ? (plain[1] ?? plain[2]).replace(/\\(.)/g, '$1') : null;
  return name ? name.replace(/[/\\]/g, '_') : null;
}

/** True when the document says the format version this server reads. */
export function versionOk(report) {
  return report.version !== null && report.version !== undefined && String(report.version) === SUPPORTED_VERSION;
}

/** "1,234 rows in 3 tables, counted in the file": the rows of an inspected file. */
export function previewCaption(report) {
  const total = report.tables.reduce((s, t) => s + (t.rows || 0), 0);
  const source = SOURCES[report.source] || '';
  return `${fmt.plural(total, 'row')} in ${fmt.plural(report.tables.length, 'table')}, ${source}`;
}

/** True when the file looks wrong (an error or a warning): it can still be sent. */
export function doubtful(report) {
  return Boolean(report.error) || report.warnings.length > 0;
}

/** The tables of an import's answer and its rows inserted and skipped in all. */
export function importTotals(imported, skipped) {
  const tables = [...new Set([...Object.keys(imported), ...Object.keys(skipped)])];
  const inserted = tables.reduce((s, t) => s + Number(imported[t] || 0), 0);
  const kept = tables.reduce((s, t) => s + Number(skipped[t] || 0), 0);
  return { tables, inserted, kept };
}

/** The rows inserted and skipped per table of a finished import job ({tables: {t: {inserted, skipped}}}). */
export function importCounts(job) {
  const tables = job.result && job.result.tables ? job.result.tables : {};
  const imported = {};
  const skipped = {};
  for (const [t, c] of Object.entries(tables)) {
    imported[t] = c.inserted;
    skipped[t] = c.skipped;
  }
  return { imported, skipped };
}

// ---------------------------------------------------------------------------------------------------
// export

async function exportDocument() {
  const button = $('#export-button');
  const line = $('#export-progress');
  const status = $('#export-status');
  showError('#export-error', null);
  await busy(button, async () => {
    const started = performance.now();
    status.textContent = 'Reading a consistent snapshot…';
    fill(line, progressBar(null, 'Export progress'), h('span', { class: 'progress-text', text: 'waiting for the first bytes' }));
    show(line, true);
    try {
      const response = await fetch('/api/backup/export', {
        headers: { Authorization: `Bearer ${session.token}`, Accept: 'application/json' }, cache: 'no-store',
      });
      if (!response.ok) {
        const error = await readError(response);
        if (response.status === 401) emit('unauthorized', error);
        throw error;
      }
      const name = filenameFrom(response.headers.get('Content-Disposition')) || `restorepoint-export-${Date.now()}.json`;
      const length = Number(response.headers.get('Content-Length')) || null;
      const reader = response.body.getReader();
      const chunks = [];
      let received = 0;
      let painted = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        if (performance.now() - painted > 100) {
          painted = performance.now();
          fill(line, progressBar(length ? received / length : null, 'Export progress'),
            h('span', { class: 'progress-text', text: `${fmt.bytes(received)}${length ? ` of ${fmt.bytes(length)}` : ''} received` }));
        }
      }
      const url = URL.createObjectURL(new Blob(chunks, { type: 'application/json' }));
      const link = h('a', { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      status.textContent = `Saved ${name} (${fmt.bytes(received)}) in ${seconds} s.`;
      status.dataset.file = name;
      status.dataset.bytes = String(received);
    } catch (e) {
      status.textContent = '';
      showError('#export-error', e, 'Export failed: ');
    } finally {
      show(line, false);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// import

function previewNodes(report, compact = false) {
  const nodes = [];
  const ok = versionOk(report);
  nodes.push(h('dl', { class: 'meta' },
    h('div', {}, h('dt', { text: 'File' }), h('dd', { text: `${report.name} (${fmt.bytes(report.size)})` })),
    report.error ? null : h('div', {}, h('dt', { text: 'Format version' }),
      h('dd', {}, h('span', { class: `badge ${ok ? 'ok' : 'warn'}`, dataset: { role: 'doc-version' }, text: report.version ?? 'none' }))),
    report.exportDate ? h('div', {}, h('dt', { text: 'Exported' }), h('dd', { text: fmt.iso(report.exportDate) })) : null,
    report.project || report.server ? h('div', {}, h('dt', { text: 'From' }),
      h('dd', { text: [report.server, report.project, report.database].filter(Boolean).join(' · ') })) : null));
  if (report.error) nodes.push(h('p', { class: 'error', text: report.error }));
  if (report.tables && report.tables.length) {
    const caption = previewCaption(report);
    const table = h('div', { class: `table-wrap ${compact ? 'scroll' : ''}` },
      h('table', { class: 'data compact preview-table' },
        h('caption', { class: compact ? null : 'visually-hidden', text: caption }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Table' }), h('th', { scope: 'col', class: 'num', text: 'Rows in file' }))),
        h('tbody', {}, report.tables.map((t) => h('tr', { dataset: { table: t.table } },
          h('th', { scope: 'row', text: t.table }), h('td', { class: 'num', text: t.rows === null ? '?' : fmt.int(t.rows) }))))));
    nodes.push(compact ? table : h('details', { class: 'rows-in-file' }, h('summary', { text: caption }), table));
  }
  if (report.warnings && report.warnings.length) {
    nodes.push(h('ul', { class: 'warnings' }, report.warnings.map((w) => h('li', { text: w }))));
  }
  return nodes;
}

async function onImportFile(event) {
  const input = event.target;
  const file = input.files && input.files[0];
  if (!file) return;
  const preview = $('#import-preview');
  const progress = $('#import-progress');
  showError('#import-error', null);
  show($('#import-result'), false);
  fill(preview, h('p', { class: 'muted', text: `Reading ${file.name} (${fmt.bytes(file.size)})…` }));
  show(preview, true);
  let report;
  try {
    report = await inspect(file, {
      knownTables: state.knownTables,
      onProgress: (fraction) => {
        fill(progress, progressBar(fraction, 'Reading the file'), h('span', { class: 'progress-text', text: `counting rows… ${fmt.percent(fraction)}` }));
        show(progress, true);
      },
    });
  } catch (e) {
    report = { name: file.name, size: file.size, warnings: [], error: `The file could not be read: ${e.message}` };
  }
  show(progress, false);
  fill(preview, h('h4', { text: 'Selected file' }), previewNodes(report));
  const looksWrong = doubtful(report);
  const ok = await confirmDialog({
    title: `Import ${file.name}?`,
    body: [
      h('p', { text: 'Rows whose key already exists are skipped; nothing is updated or deleted. The server validates the whole document before it writes anything, in one transaction.' }),
      ...previewNodes(report, true),
      looksWrong ? h('p', { class: 'callout warn', text: 'This file looks wrong. You can still send it: the server will check it and say what it refuses.' }) : null,
    ],
    confirm: looksWrong ? 'Send anyway' : 'Import',
  });
  if (!ok) {
    input.value = '';
    fill(preview, h('p', { class: 'muted', text: `Import of ${file.name} cancelled.` }));
    return;
  }
  await importFile(file, report);
  input.value = '';
}

function upload(file, onProgress, onSent) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/backup/import');
    xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.upload.addEventListener('load', onSent);
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, statusText: xhr.statusText, body });
    });
    xhr.addEventListener('error', () => reject(new TypeError('network error')));
    xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    xhr.send(file);
  });
}

async function importFile(file, report) {
  const input = $('#import-file');
  const progress = $('#import-progress');
  const result = $('#import-result');
  input.disabled = true;
  const started = performance.now();
  const waiting = () => fill(progress, progressBar(null, 'Import progress'),
    h('span', { class: 'progress-text', text: 'Validating and importing on the server…' }));
  fill(progress, progressBar(0, 'Upload progress'), h('span', { class: 'progress-text', text: 'Uploading…' }));
  show(progress, true);
  try {
    const { status, statusText, body } = await upload(file,
      (sent, total) => fill(progress, progressBar(total ? sent / total : null, 'Upload progress'),
        h('span', { class: 'progress-text', text: `Uploading… ${fmt.bytes(sent)} of ${fmt.bytes(total)}` })),
      waiting);
    if (status === 200 && body && body.success !== false) {
      const token = body.result && body.result['job.token'];
      if (token) {
        state.notes.set(token, `Import of ${file.name}`);
        if (state.jobs.has(token)) remember(state.jobs.get(token));
        scheduleJobsRender();
      }
      renderImportResult(body.imported || {}, body.skipped || {}, report, (performance.now() - started) / 1000);
      loadStats();
    } else if (status === 202 && body && body.result) {
      const token = body.result['job.token'];
      const job = body.result.job || {};
      state.notes.set(token, `Import of ${file.name}`);
      upsertJob({ ...job, token, project_gid: job.project_gid || state.project, job: job.job || 'import_data' });
      state.pendingImport = { token, report, started };
      fill(result, h('p', { class: 'status', text: `The import of ${file.name} is still running; its result will show here when the job ends (see Jobs).` }));
      show(result, true);
    } else {
      const error = errorFrom(status, statusText, body);
      if (status === 401) emit('unauthorized', error);
      throw error;
    }
  } catch (e) {
    showError('#import-error', e, 'The import was refused: ');
  } finally {
    input.disabled = false;
    show(progress, false);
  }
}

function renderImportResult(imported, skipped, report, seconds) {
  const { tables, inserted, kept } = importTotals(imported, skipped);
  const inFile = new Map((report?.tables || []).map((t) => [t.table, t.rows]));
  const result = $('#import-result');
  fill(result,
    h('h4', { text: 'Import finished' }),
    h('p', { class: 'summary', dataset: { inserted, skipped: kept } },
      `${fmt.plural(inserted, 'row')} inserted, ${fmt.int(kept)} skipped (already there or not imported)`,
      seconds ? ` in ${seconds.toFixed(1)} s.` : '.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'import-result-table' },
      h('caption', { class: 'visually-hidden', text: 'Rows inserted and skipped per table' }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: 'Table' }), h('th', { scope: 'col', class: 'num', text: 'In file' }),
        h('th', { scope: 'col', class: 'num', text: 'Inserted' }), h('th', { scope: 'col', class: 'num', text: 'Skipped' }))),
      h('tbody', {}, tables.map((t) => h('tr', { dataset: { table: t }, class: Number(imported[t] || 0) > 0 ? 'changed' : '' },
        h('th', { scope: 'row', text: t }),
        h('td', { class: 'num', text: inFile.has(t) && inFile.get(t) !== null ? fmt.int(inFile.get(t)) : '–' }),
        h('td', { class: 'num inserted', text: imported[t] === undefined ? '–' : fmt.int(imported[t]) }),
        h('td', { class: 'num skipped', text: skipped[t] === undefined ? '–' : fmt.int(skipped[t]) })))))),
    skipped.sesiones !== undefined && imported.sesiones === undefined
      ? h('p', { class: 'muted small-print', text: 'Sessions (sesiones) are never imported.' }) : null);
  show(result, true);
  notify(`Import finished: ${fmt.plural(inserted, 'row')} inserted, ${fmt.int(kept)} skipped.`, 'success');
}

/** The end of an import that answered 202: its result (or its failure) where the upload left off. */
function pendingImportEnded(job) {
  if (!state.pendingImport || state.pendingImport.token !== job.token) return;
  const { report, started } = state.pendingImport;
  state.pendingImport = null;
  if (job.status === 'done') {
    const { imported, skipped } = importCounts(job);
    renderImportResult(imported, skipped, report, (performance.now() - started) / 1000);
  } else {
    show($('#import-result'), false);
    showError('#import-error', `The import failed: ${failureText(job)}`);
  }
}

export function resetTransfer() {
  for (const id of ['#import-preview', '#import-result', '#import-progress', '#export-progress']) show($(id), false);
  for (const id of ['#import-error', '#export-error']) showError(id, null);
  $('#export-status').textContent = '';
}

export function wireTransfer() {
  $('#export-button').addEventListener('click', exportDocument);
  $('#import-file').addEventListener('change', onImportFile);
  on('job-ended', pendingImportEnded);
}
