// RestorePoint console: sign-in, database stats, export/import, backup versions and live job progress.
// Plain ES modules, no build step. The token lives in sessionStorage (this tab only), never in a URL.

import { $, fill, h, progressBar, show } from './dom.js';
import { createApi, describe, errorFrom, readError } from './api.js';
import { Feed } from './feed.js';
import { inspect } from './importfile.js';
import * as fmt from './format.js';

const KEYS = { token: 'rp.token', project: 'rp.project', cursor: 'rp.cursor', jobs: 'rp.jobs' };
const DEFAULT_PROJECT = 'demo';
const REMEMBERED_JOBS = 30;
const JOBS_SHOWN = 12;
/** On the first load of a tab the feed starts this many events back, to show the recent jobs. */
const REPLAY_ON_FIRST_LOAD = 100;
const CREATED_BY = 'console';

// ---------------------------------------------------------------------------------------------------
// session storage

const session = {
  get token() {
    return sessionStorage.getItem(KEYS.token) || '';
  },
  set token(value) {
    if (value) sessionStorage.setItem(KEYS.token, value);
    else sessionStorage.removeItem(KEYS.token);
  },
  get project() {
    return sessionStorage.getItem(KEYS.project) || DEFAULT_PROJECT;
  },
  set project(value) {
    sessionStorage.setItem(KEYS.project, value);
  },
  get cursor() {
    const value = sessionStorage.getItem(KEYS.cursor);
    return value === null || !Number.isFinite(Number(value)) ? null : Number(value);
  },
  set cursor(value) {
    if (value === null) sessionStorage.removeItem(KEYS.cursor);
    else sessionStorage.setItem(KEYS.cursor, String(value));
  },
  /** Jobs this tab shows: [{token, project, note}], newest first. */
  get jobs() {
    try {
      const list = JSON.parse(sessionStorage.getItem(KEYS.jobs) || '[]');
      return Array.isArray(list) ? list.filter((j) => j && typeof j.token === 'string' && typeof j.project === 'string') : [];
    } catch {
      return [];
    }
  },
  set jobs(list) {
    if (list.length === 0) sessionStorage.removeItem(KEYS.jobs);
    else sessionStorage.setItem(KEYS.jobs, JSON.stringify(list.slice(0, REMEMBERED_JOBS)));
  },
};

const state = {
  project: session.project,
  projectData: null,
  versions: [],
  knownTables: null,
  previousTables: null,
  previousTotal: null,
  jobs: new Map(), // token → job as the API shows it, plus token
  notes: new Map(), // token → what the job is for, e.g. "Safety backup before restoring v3"
  pendingImport: null, // {token, report} of an import still running after the call answered 202
  openedAt: Date.now() / 1000,
};

const api = createApi({ token: () => session.token, onUnauthorized: (error) => expired(error) });

const feed = new Feed({
  token: () => session.token,
  cursor: () => session.cursor ?? 0,
  onEvent: handleFeedEvent,
  onState: renderFeedState,
  onGone: (error) => {
    // the feed no longer holds our cursor: re-read the state through /api and continue from what it keeps
    session.cursor = Number(error.info?.oldest_cursor ?? 0);
    loadProject();
    restoreJobs();
    loadStats();
  },
  onUnauthorized: (error) => expired(error),
});

// ---------------------------------------------------------------------------------------------------
// small helpers

const enc = encodeURIComponent;
const projectPath = (project = state.project) => `/api/p/${enc(project)}`;
const isEnded = (status) => status === 'done' || status === 'rejected';

function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

function showError(selector, error, prefix = '') {
  const el = $(selector);
  if (!error) {
    el.textContent = '';
    el.hidden = true;
    return;
  }
  el.textContent = prefix + (typeof error === 'string' ? error : describe(error));
  el.hidden = false;
}

function notify(text, kind = 'info') {
  const box = $('#notices');
  const item = h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null },
    h('span', { class: 'notice-text', text }),
    h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Dismiss message', onclick: () => item.remove() }, '×'));
  box.append(item);
  if (kind !== 'error') setTimeout(() => item.remove(), 6000);
  while (box.children.length > 3) box.firstElementChild.remove();
}

async function busy(button, work) {
  const was = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = was;
    button.removeAttribute('aria-busy');
  }
}

/** Puts the focus back where it was before a dialog, or on its replacement after a re-render. */
function refocus(el, fallback) {
  if (el && el.isConnected && !el.disabled) {
    el.focus();
    return;
  }
  if (el && el.dataset && el.dataset.action) {
    const same = document.querySelector(`button[data-action="${el.dataset.action}"][data-version="${el.dataset.version}"]`);
    if (same && !same.disabled) {
      same.focus();
      return;
    }
  }
  if (fallback) fallback.focus();
}

/** A confirmation in a modal dialog; Escape or Cancel answers false. */
/** The answer function of the confirmation being asked, if one is open. */
let confirmPending = null;

function confirmDialog({ title, body, confirm, danger = false }) {
  const dialog = $('#confirm-dialog');
  const ok = $('#confirm-ok');
  $('#confirm-title').textContent = title;
  fill($('#confirm-body'), body);
  ok.textContent = confirm;
  ok.className = danger ? 'danger' : 'primary';
  const opener = document.activeElement;
  const form = dialog.querySelector('form');
  if (confirmPending) confirmPending(false); // a newer question replaces one left unanswered
  dialog.returnValue = '';
  return new Promise((resolve) => {
    // Answered by the button or Escape as they happen, never by a later 'close' event alone: the browser
    // delivers 'close' as a task, and input is served first, so the close of an earlier opening can arrive
    // after this one began (Escape, then Enter at once) and would answer this question with "no".
    const answer = (yes) => {
      if (confirmPending !== answer) return;
      confirmPending = null;
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClose);
      resolve(yes);
      setTimeout(() => refocus(opener, $('#main')), 0); // once the dialog has closed
    };
    const onSubmit = (event) => answer(Boolean(event.submitter) && event.submitter.value === 'confirm');
    const onCancel = () => answer(false);
    const onClose = () => {
      if (!dialog.open) answer(dialog.returnValue === 'confirm'); // closed some other way
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClose);
    confirmPending = answer;
    dialog.showModal();
    (danger ? $('#confirm-cancel') : ok).focus();
  });
}

// ---------------------------------------------------------------------------------------------------
// sign-in

function parseJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1] || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new Error('That is not a JWT: a token is three base64url parts separated by dots (header.payload.signature).');
  }
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    if (!claims || typeof claims !== 'object') throw new Error();
    return claims;
  } catch {
    throw new Error('That is not a JWT: its payload is not a JSON object.');
  }
}

async function signIn(raw) {
  const token = String(raw || '').trim().replace(/^Bearer\s+/i, '');
  showError('#sign-in-error', null);
  if (!token) {
    showError('#sign-in-error', 'Paste a token first.');
    return false;
  }
  let claims;
  try {
    claims = parseJwt(token);
  } catch (e) {
    showError('#sign-in-error', e.message);
    return false;
  }
  if (claims.exp && claims.exp * 1000 < Date.now()) {
    showError('#sign-in-error', `This token expired on ${fmt.epoch(claims.exp)}. Get a new one.`);
    return false;
  }
  try {
    // the gateway decides: 401 means it does not accept this token (signature, issuer, audience…)
    const response = await fetch(`${projectPath()}/init`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, cache: 'no-store',
    });
    if (response.status === 401) {
      const challenge = response.headers.get('WWW-Authenticate') || '';
      const reason = /error_description="([^"]*)"/.exec(challenge);
      const error = await readError(response);
      showError('#sign-in-error', `The gateway rejected this token: ${reason ? `${reason[1]}. ` : ''}${describe(error)}`);
      return false;
    }
  } catch (e) {
    showError('#sign-in-error', describe(e));
    return false;
  }
  session.token = token;
  $('#token-input').value = '';
  startDashboard();
  return true;
}

async function probeDevSignIn() {
  const button = $('#dev-sign-in');
  try {
    const response = await fetch('/dev/sign-in', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    show(button, response.ok);
  } catch {
    show(button, false);
  }
}

async function devSignIn() {
  const button = $('#dev-sign-in');
  await busy(button, async () => {
    try {
      const response = await fetch('/dev/sign-in', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (!response.ok) throw await readError(response);
      const body = await response.json();
      await signIn(body?.result?.token);
    } catch (e) {
      showError('#sign-in-error', e, 'Dev sign-in failed: ');
    }
  });
}

function showSignIn(message, isError = true) {
  show($('#booting'), false);
  show($('#dashboard'), false);
  show($('#session'), false);
  show($('#sign-in'), true);
  showError('#sign-in-error', null);
  $('#sign-in-note').textContent = '';
  if (message && isError) showError('#sign-in-error', message);
  else if (message) $('#sign-in-note').textContent = message;
  probeDevSignIn();
  $('#token-input').focus();
}

/** Signs out: forgets the token, the cursor and the remembered jobs of this tab. */
function signOut(message, isError = true) {
  feed.stop();
  session.token = '';
  session.cursor = null;
  session.jobs = [];
  state.jobs.clear();
  state.notes.clear();
  state.pendingImport = null;
  state.previousTables = null;
  state.previousTotal = null;
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  resetDashboard();
  showSignIn(message, isError);
}

function expired(error) {
  if (!session.token) return;
  signOut(`You were signed out: ${describe(error)}. Sign in again.`);
}

function resetDashboard() {
  fill($('#jobs'));
  fill($('#stats-table tbody'));
  fill($('#versions-table tbody'));
  for (const id of ['#import-preview', '#import-result', '#import-progress', '#export-progress']) show($(id), false);
  for (const id of ['#stats-error', '#backups-error', '#import-error', '#export-error']) showError(id, null);
  $('#export-status').textContent = '';
  $('#project-summary').textContent = '';
  for (const id of ['#stat-total', '#stat-size', '#stat-time']) $(id).textContent = '–';
}

// ---------------------------------------------------------------------------------------------------
// dashboard

function startDashboard() {
  let claims = {};
  try {
    claims = parseJwt(session.token);
  } catch {
    signOut('The stored token is not a JWT.');
    return;
  }
  if (claims.exp && claims.exp * 1000 < Date.now()) {
    signOut(`Your token expired on ${fmt.epoch(claims.exp)}. Sign in again.`);
    return;
  }
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  fill($('#whoami'),
    h('span', { class: 'user', text: claims.name || claims.sub || 'signed in' }),
    roles.length ? h('span', { class: 'muted', text: ` (${roles.join(', ')})` }) : null,
    claims.exp ? h('span', { class: 'muted expiry', title: `The token expires ${fmt.epoch(claims.exp)}`, text: ` · until ${fmt.when(claims.exp)}` }) : null);
  show($('#booting'), false);
  show($('#sign-in'), false);
  show($('#session'), true);
  show($('#dashboard'), true);
  $('#project-input').value = state.project;
  renderJobs();
  loadStats();
  loadProject();
  restoreJobs();
  startFeed();
}

// ---------------------------------------------------------------------------------------------------
// stats

let statsSeq = 0;

async function loadStats() {
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
const scheduleStats = debounce(loadStats, 200);

function delta(now, before) {
  if (before === null || before === undefined || Number(now) === Number(before)) return null;
  const diff = Number(now) - Number(before);
  return h('span', { class: `delta ${diff > 0 ? 'up' : 'down'}`, title: 'since the previous count' },
    ` ${diff > 0 ? '+' : '−'}${fmt.int(Math.abs(diff))}`);
}

function renderStats(stats) {
  const tables = stats && typeof stats.tables === 'object' && stats.tables ? stats.tables : {};
  const names = Object.keys(tables).sort();
  const total = names.reduce((sum, t) => sum + Number(tables[t] || 0), 0);
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

// ---------------------------------------------------------------------------------------------------
// export

function filenameFrom(disposition) {
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
        if (response.status === 401) expired(error);
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
  const versionOk = report.version !== null && report.version !== undefined && String(report.version) === '2.0';
  nodes.push(h('dl', { class: 'meta' },
    h('div', {}, h('dt', { text: 'File' }), h('dd', { text: `${report.name} (${fmt.bytes(report.size)})` })),
    report.error ? null : h('div', {}, h('dt', { text: 'Format version' }),
      h('dd', {}, h('span', { class: `badge ${versionOk ? 'ok' : 'warn'}`, dataset: { role: 'doc-version' }, text: report.version ?? 'none' }))),
    report.exportDate ? h('div', {}, h('dt', { text: 'Exported' }), h('dd', { text: fmt.iso(report.exportDate) })) : null,
    report.project || report.server ? h('div', {}, h('dt', { text: 'From' }),
      h('dd', { text: [report.server, report.project, report.database].filter(Boolean).join(' · ') })) : null));
  if (report.error) nodes.push(h('p', { class: 'error', text: report.error }));
  if (report.tables && report.tables.length) {
    const total = report.tables.reduce((s, t) => s + (t.rows || 0), 0);
    const source = { parsed: 'counted in the file', counts: 'from the document’s counts', scanned: 'counted by reading the file' }[report.source] || '';
    const caption = `${fmt.plural(total, 'row')} in ${fmt.plural(report.tables.length, 'table')}, ${source}`;
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
  const doubtful = Boolean(report.error) || report.warnings.length > 0;
  const ok = await confirmDialog({
    title: `Import ${file.name}?`,
    body: [
      h('p', { text: 'Rows whose key already exists are skipped; nothing is updated or deleted. The server validates the whole document before it writes anything, in one transaction.' }),
      ...previewNodes(report, true),
      doubtful ? h('p', { class: 'callout warn', text: 'This file looks wrong. You can still send it: the server will check it and say what it refuses.' }) : null,
    ],
    confirm: doubtful ? 'Send anyway' : 'Import',
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
      if (status === 401) expired(error);
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
  const tables = [...new Set([...Object.keys(imported), ...Object.keys(skipped)])];
  const inserted = tables.reduce((s, t) => s + Number(imported[t] || 0), 0);
  const kept = tables.reduce((s, t) => s + Number(skipped[t] || 0), 0);
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

// ---------------------------------------------------------------------------------------------------
// project and backup versions

let projectSeq = 0;

async function loadProject() {
  const seq = ++projectSeq;
  const project = state.project;
  try {
    const body = await api.get(`${projectPath(project)}/init`);
    if (seq !== projectSeq || project !== state.project) return;
    applyProject(body);
    showError('#backups-error', null);
  } catch (e) {
    if (seq !== projectSeq) return;
    state.projectData = null;
    state.versions = [];
    renderVersions();
    showError('#backups-error', e, `Project ${project}: `);
  }
}
const scheduleProject = debounce(loadProject, 150);

/** An action's answer is newer than any load still in flight: that load is dropped when it returns. */
function applyAnswer(body) {
  projectSeq++;
  applyProject(body);
}

function applyProject(body) {
  const project = body?.data?.['cc.projects']?.[state.project];
  if (!project) return;
  state.projectData = project;
  state.versions = Array.isArray(project.backups?.versions) ? project.backups.versions : [];
  if (body.result && body.result.last_backed_up !== undefined) state.lastBackedUp = body.result.last_backed_up;
  renderVersions();
}

function renderVersions() {
  const project = state.projectData;
  const summary = $('#project-summary');
  if (project) {
    const valid = state.versions.filter((v) => v.status === 'valid').length;
    summary.textContent = [
      project.name || project.gid,
      project.owner ? `owner ${project.owner}` : null,
      `${fmt.plural(state.versions.length, 'version')} (${fmt.int(valid)} valid)`,
      state.lastBackedUp ? `last backup ${fmt.epoch(state.lastBackedUp)}` : 'never backed up',
    ].filter(Boolean).join(' · ');
  } else {
    summary.textContent = '';
  }
  const active = document.activeElement;
  const focused = active && active.closest && active.closest('#versions-table') && active.dataset.action
    ? { action: active.dataset.action, version: active.dataset.version } : null;
  const versions = [...state.versions].sort((a, b) => b.version - a.version);
  fill($('#versions-table tbody'), versions.map(versionRow));
  show($('#versions-empty'), project !== null && versions.length === 0);
  if (focused) {
    const again = document.querySelector(`#versions-table button[data-action="${focused.action}"][data-version="${focused.version}"]`);
    if (again && !again.disabled) again.focus();
  }
  renderVersionProgress();
}

function versionRow(v) {
  const valid = v.status === 'valid';
  const pending = v.status === 'pending';
  const verified = v.verified && v.verified.status
    ? h('span', {
      class: `badge ${v.verified.status === 'passed' ? 'ok' : 'bad'}`,
      title: `verified ${fmt.epoch(v.verified.timestamp)}`,
      dataset: { role: 'verified' },
      text: v.verified.status === 'passed' ? 'verified' : `verify ${v.verified.status}`,
    }) : null;
  const incomplete = v.skipped && v.skipped.length
    ? h('span', {
      class: 'badge bad',
      title: `left out: ${skippedText(v.skipped)}`,
      dataset: { role: 'incomplete' },
      text: `incomplete: ${v.skipped.length} left out`,
    }) : null;
  const action = (name, label, enabled, extra = '') => h('button', {
    type: 'button', class: `small ${extra}`.trim(), dataset: { action: name, version: v.version },
    'aria-label': `${label} version ${v.version}`, disabled: !enabled,
  }, label);
  // one wrapper per cell: on narrow screens every cell becomes a two-column grid (label, content)
  const cell = (label, props, ...content) => h('td', { 'data-label': label, ...props }, h('div', { class: 'cell' }, ...content));
  return h('tr', { dataset: { version: v.version, status: v.status } },
    cell('Version', { class: 'version' }, h('strong', { text: `v${v.version}` })),
    cell('Name', { class: 'name' }, v.name || ''),
    cell('Created', {},
      h('span', { class: 'created', text: fmt.epoch(v.timestamp) }),
      v.created_by ? h('span', { class: 'muted by', text: `by ${v.created_by}` }) : null),
    cell('Status', { class: 'status-cell' },
      h('span', { class: `badge ${valid ? 'ok' : pending ? 'busy' : 'bad'}`, dataset: { role: 'status' }, text: v.status || '?' }),
      verified ? ' ' : null, verified,
      incomplete ? ' ' : null, incomplete,
      pending ? h('span', { class: 'version-progress', dataset: { progressVersion: v.version } }) : null),
    cell('Size', { class: 'num' }, v.size !== undefined ? fmt.bytes(v.size) : '–'),
    cell('Actions', { class: 'actions-cell' },
      h('div', { class: 'row-actions' },
        action('rename', 'Rename', true),
        action('verify', 'Verify', valid),
        action('restore', 'Restore', valid, 'warn'),
        action('delete', 'Delete', !pending, 'danger-outline'))));
}

/** "trigger audit (reason); every view (reason)": what a backup left out, for a title or a callout. */
function skippedText(skipped) {
  return skipped.map((o) => `${o.name === '*' ? `every ${o.kind}` : `${o.kind} ${o.name}`} (${o.reason})`).join('; ');
}

/** The progress of a pending version's backup job, in its row. */
function renderVersionProgress() {
  for (const slot of document.querySelectorAll('#versions-table [data-progress-version]')) {
    const version = Number(slot.dataset.progressVersion);
    const job = [...state.jobs.values()].find((j) => j.job === 'backup_project' && Number(j.version) === version
      && j.project_gid === state.project);
    if (!job) {
      fill(slot);
      continue;
    }
    const fraction = jobFraction(job);
    fill(slot, progressBar(fraction, `Backup v${version} progress`, job.status),
      h('span', { class: 'muted', text: job.status === 'processing' && fraction !== null ? fmt.percent(fraction) : job.status }));
  }
}

async function onVersionAction(event) {
  const button = event.target.closest('button[data-action]');
  if (!button || button.disabled) return;
  const version = Number(button.dataset.version);
  const v = state.versions.find((x) => x.version === version);
  if (!v) return;
  const action = button.dataset.action;
  if (action === 'rename') openRename(v, button);
  else if (action === 'delete') await deleteVersion(v, button);
  else if (action === 'verify') await verifyVersion(v, button);
  else if (action === 'restore') await restoreVersion(v, button);
}

async function createBackup(event) {
  event.preventDefault();
  const input = $('#backup-name');
  const name = input.value.trim();
  const project = state.project;
  showError('#backups-error', null);
  await busy($('#create-button'), async () => {
    try {
      const body = await api.post(`${projectPath(project)}/backups/create`,
        name ? { created_by: CREATED_BY, name } : { created_by: CREATED_BY });
      const r = body.result;
      upsertJob({ token: r['job.token'], project_gid: project, job: 'backup_project', status: 'queued', version: r.version,
        info: { total: 0, remaining: 0 }, created_on: r.last_backed_up, updated_on: 0, queue_position: r.queue_position });
      applyAnswer(body);
      input.value = '';
      notify(`Backup v${r.version} started.`);
    } catch (e) {
      showError('#backups-error', e, 'Backup not started: ');
    }
  });
}

let renaming = null;

function openRename(v, opener) {
  const dialog = $('#rename-dialog');
  renaming = { version: v.version, opener };
  $('#rename-title').textContent = `Rename version ${v.version}`;
  const input = $('#rename-input');
  input.value = v.name || '';
  showError('#rename-error', null);
  dialog.showModal();
  input.select();
}

async function saveRename(event) {
  event.preventDefault();
  if (!renaming) return;
  const { version } = renaming;
  const name = $('#rename-input').value.trim();
  if (!name) {
    showError('#rename-error', 'Enter a name.');
    return;
  }
  await busy($('#rename-save'), async () => {
    try {
      const body = await api.post(`${projectPath()}/backups/update`, { version, name });
      applyAnswer(body);
      $('#rename-dialog').close();
      notify(`Version ${version} renamed to “${name}”.`, 'success');
    } catch (e) {
      showError('#rename-error', e);
    }
  });
}

async function deleteVersion(v, button) {
  const ok = await confirmDialog({
    title: `Delete version ${v.version}?`,
    body: [
      h('p', {}, 'Version ', h('strong', { text: `${v.version} “${v.name}”` }),
        `, taken ${fmt.epoch(v.timestamp)}${v.size !== undefined ? ` (${fmt.bytes(v.size)})` : ''}, will be deleted with its files.`),
      h('p', { class: 'callout danger', text: 'This cannot be undone; version numbers are not reused.' }),
    ],
    confirm: `Delete version ${v.version}`,
    danger: true,
  });
  if (!ok) return;
  try {
    const body = await api.post(`${projectPath()}/backups/delete`, { version: v.version });
    applyAnswer(body);
    const skipped = body.result && Array.isArray(body.result.skipped) && body.result.skipped.includes(v.version);
    if (skipped) notify(`Version ${v.version} was not deleted (it is still being written, or already gone).`, 'warn');
    else notify(`Version ${v.version} deleted.`, 'success');
    refocus(button, $('#backup-name'));
  } catch (e) {
    showError('#backups-error', e, `Version ${v.version} not deleted: `);
  }
}

async function verifyVersion(v, button) {
  await busy(button, async () => {
    try {
      const body = await api.post(`${projectPath()}/backups/verify`, { version: v.version });
      const r = body.result;
      upsertJob({ token: r['job.token'], project_gid: state.project, job: 'verify_backup', status: 'queued', version: v.version,
        info: { total: 0, remaining: 0 }, created_on: Date.now() / 1000, updated_on: 0, queue_position: r.queue_position });
      notify(`Verifying version ${v.version}.`);
    } catch (e) {
      showError('#backups-error', e, `Version ${v.version} not verified: `);
    }
  });
}

async function restoreVersion(v, button) {
  const project = state.project;
  const ok = await confirmDialog({
    title: `Restore version ${v.version}?`,
    body: [
      h('p', {}, 'The data of project ', h('strong', { text: project }), ' will be replaced by version ',
        h('strong', { text: `${v.version} “${v.name}”` }), `, taken ${fmt.epoch(v.timestamp)}.`),
      h('p', { class: 'callout', text: 'A safety backup of the current data is taken first, as a new version, so you can go back to it.' }),
      v.verified && v.verified.status !== 'passed'
        ? h('p', { class: 'callout danger', text: `The last verification of this version failed (${fmt.epoch(v.verified.timestamp)}): the restore will probably be refused.` })
        : null,
      v.skipped && v.skipped.length
        ? h('p', { class: 'callout danger', dataset: { role: 'incomplete' }, text: `This version is not the whole database: the backup left out ${skippedText(v.skipped)}. After the restore the database does not have them.` })
        : null,
      h('p', { class: 'muted', text: 'The restore is atomic: if it fails, the data stays exactly as it is now.' }),
    ],
    confirm: `Restore version ${v.version}`,
    danger: true,
  });
  if (!ok) return;
  await busy(button, async () => {
    try {
      const body = await api.post(`${projectPath(project)}/backups/restore`, { version: v.version });
      const r = body.result;
      const now = Date.now() / 1000;
      const safety = r.safety_backup || {};
      if (safety['job.token']) {
        state.notes.set(safety['job.token'], `Safety backup before restoring v${v.version}`);
        upsertJob({ token: safety['job.token'], project_gid: project, job: 'backup_project', status: 'queued', version: safety.version,
          info: { total: 0, remaining: 0 }, created_on: now, updated_on: 0 });
      }
      state.notes.set(r['job.token'], `Restore of “${v.name}”`);
      upsertJob({ token: r['job.token'], project_gid: project, job: 'restore_project', status: 'queued', version: v.version,
        info: { total: 0, remaining: 0 }, created_on: now + 0.001, updated_on: 0, queue_position: r.queue_position });
      notify(`Restoring version ${v.version}${safety.version ? `; the safety backup is version ${safety.version}` : ''}.`);
      scheduleProject();
    } catch (e) {
      showError('#backups-error', e, `Version ${v.version} not restored: `);
    }
  });
}

function changeProject(event) {
  event.preventDefault();
  const value = $('#project-input').value.trim();
  if (!value) {
    showError('#backups-error', 'Enter a project id.');
    return;
  }
  state.project = value;
  session.project = value;
  state.projectData = null;
  state.versions = [];
  renderVersions();
  renderJobs();
  loadProject();
}

// ---------------------------------------------------------------------------------------------------
// jobs

const JOB_NAMES = { backup_project: 'Backup', restore_project: 'Restore', verify_backup: 'Verify', import_data: 'Import' };

function jobLabel(job) {
  const name = JOB_NAMES[job.job] || job.job || 'Job';
  return job.version !== undefined && job.version !== null && job.job !== 'import_data' ? `${name} v${job.version}` : name;
}

function jobFraction(job) {
  const info = job.info || {};
  const total = Number(info.total || 0);
  const remaining = Number(info.remaining || 0);
  if (job.status === 'done') return 1;
  if (total > 0) return Math.max(0, Math.min(1, (total - remaining) / total));
  if (job.status === 'queued' || job.status === 'rejected') return 0;
  return null; // processing, the amount of work not known yet
}

function failureText(job) {
  const f = job.failure || {};
  const parts = [f.reason || f.message || 'no reason given'];
  if (f.table && !String(parts[0]).includes(f.table)) parts.push(`table ${f.table}`);
  if (f.code && f.code !== 1003) parts.push(`code ${f.code}`);
  return parts.join(' — ');
}

function upsertJob(incoming) {
  const token = incoming.token || incoming['job.token'];
  if (!token) return;
  const current = state.jobs.get(token);
  if (current && Number(current.updated_on || 0) > Number(incoming.updated_on || 0)) return; // older news
  const job = { ...current, ...incoming, token };
  if (!job.project_gid) job.project_gid = state.project;
  state.jobs.set(token, job);
  remember(job);
  scheduleJobsRender();
  if (isEnded(job.status) && (!current || current.status !== job.status)) jobEnded(job, current);
}

function remember(job) {
  const list = session.jobs;
  const note = state.notes.get(job.token) || null;
  const known = list.find((j) => j.token === job.token);
  if (known) {
    if (note && known.note !== note) {
      known.note = note;
      session.jobs = list;
    }
    return;
  }
  list.unshift({ token: job.token, project: job.project_gid, note });
  session.jobs = list;
}

function forget(tokens) {
  const drop = new Set(tokens);
  session.jobs = session.jobs.filter((j) => !drop.has(j.token));
  for (const token of drop) state.jobs.delete(token);
}

function jobEnded(job, before) {
  if (job.project_gid === state.project) scheduleProject();
  if (job.status === 'done' && (job.job === 'restore_project' || job.job === 'import_data')) scheduleStats();
  if (state.pendingImport && state.pendingImport.token === job.token) {
    const { report, started } = state.pendingImport;
    state.pendingImport = null;
    if (job.status === 'done') {
      const tables = job.result && job.result.tables ? job.result.tables : {};
      const imported = {};
      const skipped = {};
      for (const [t, c] of Object.entries(tables)) {
        imported[t] = c.inserted;
        skipped[t] = c.skipped;
      }
      renderImportResult(imported, skipped, report, (performance.now() - started) / 1000);
    } else {
      show($('#import-result'), false);
      showError('#import-error', `The import failed: ${failureText(job)}`);
    }
  }
  // only news: not the jobs that ended before this page was opened (the feed replays them on load)
  const watched = before && before.status && !isEnded(before.status) && Number(job.updated_on || 0) >= state.openedAt - 2;
  if (watched && job.job !== 'import_data') {
    if (job.status === 'done') notify(`${jobLabel(job)} finished.`, 'success');
    else notify(`${jobLabel(job)} failed: ${failureText(job)}`, 'error');
  }
}

let jobsRenderPending = false;

function scheduleJobsRender() {
  if (jobsRenderPending) return;
  jobsRenderPending = true;
  setTimeout(() => {
    jobsRenderPending = false;
    renderJobs();
  }, 30);
}

function renderJobs() {
  const jobs = [...state.jobs.values()]
    .filter((j) => j.project_gid === state.project)
    .sort((a, b) => Number(b.created_on || 0) - Number(a.created_on || 0))
    .slice(0, JOBS_SHOWN);
  fill($('#jobs'), jobs.map(jobItem));
  show($('#jobs-empty'), jobs.length === 0);
  renderVersionProgress();
}

function jobItem(job) {
  const info = job.info || {};
  const fraction = jobFraction(job);
  const label = jobLabel(job);
  const unit = info.unit || 'rows';
  const meta = [];
  if (job.status === 'queued') {
    meta.push(job.queue_position ? `queued, ${fmt.plural(job.queue_position, 'job')} ahead` : 'queued');
  } else if (job.status === 'processing') {
    if (Number(info.total) > 0) meta.push(`${fmt.int(Number(info.total) - Number(info.remaining || 0))} of ${fmt.int(info.total)} ${unit}`);
    if (info.phase) meta.push(`phase: ${info.phase}`);
    if (fraction !== null) meta.push(fmt.percent(fraction));
  } else if (job.status === 'done') {
    const r = job.result || {};
    if (r.rows !== undefined) meta.push(`${fmt.int(r.rows)} ${unit}`);
    else if (Number(info.total) > 0) meta.push(`${fmt.int(info.total)} ${unit}`);
    if (r.bytes) meta.push(fmt.bytes(r.bytes));
    if (job.created_on && job.updated_on) meta.push(`took ${Math.max(0, job.updated_on - job.created_on).toFixed(1)} s`);
  }
  if (job.updated_on) meta.push(`updated ${fmt.time(job.updated_on)}`);
  const versionName = job.job !== 'import_data' ? state.versions.find((v) => v.version === Number(job.version))?.name : null;
  const note = state.notes.get(job.token);
  return h('li', { class: `job ${job.status}`, dataset: { token: job.token, job: job.job, status: job.status, version: job.version ?? '' } },
    h('div', { class: 'job-head' },
      h('span', { class: 'job-title' }, h('strong', { text: label }),
        versionName ? h('span', { class: 'muted', text: ` “${versionName}”` }) : null),
      h('span', { class: `badge ${{ done: 'ok', rejected: 'bad', processing: 'busy', queued: 'idle' }[job.status] || 'idle'}`, dataset: { role: 'job-status' }, text: job.status })),
    progressBar(fraction, `${label} progress`, job.status),
    h('div', { class: 'job-meta muted', text: meta.join(' · ') }),
    note && !versionName ? h('div', { class: 'job-note', text: note }) : null,
    job.status === 'rejected' ? h('p', { class: 'failure', role: 'alert', text: `Failed: ${failureText(job)}` }) : null);
}

async function restoreJobs() {
  const remembered = session.jobs;
  for (const r of remembered) if (r.note) state.notes.set(r.token, r.note);
  const gone = [];
  await Promise.all(remembered.map(async (r) => {
    try {
      const body = await api.get(`${projectPath(r.project)}/jobs/${enc(r.token)}`);
      if (body && body.result && body.result.job) upsertJob({ ...body.result.job, token: r.token });
    } catch (e) {
      if (e.status === 404 || e.status === 403) gone.push(r.token);
    }
  }));
  if (gone.length) forget(gone);
  scheduleJobsRender();
}

function clearFinished() {
  forget([...state.jobs.values()].filter((j) => isEnded(j.status) && j.project_gid === state.project).map((j) => j.token));
  renderJobs();
}

// ---------------------------------------------------------------------------------------------------
// live feed

function handleFeedEvent(event) {
  if (Number.isFinite(Number(event.cursor))) session.cursor = Number(event.cursor);
  if (event.data_type === 'jobs' && event.data && event.data_key) {
    upsertJob({ ...event.data, token: event.data_key });
  } else if (event.data_type === 'projects' && event.data_key === state.project) {
    scheduleProject();
  }
}

async function startFeed() {
  try {
    const body = await api.post('/sync/cursors', {});
    const latest = Number(body?.result?.['cc.cursor'] ?? 0);
    const stored = session.cursor;
    // first load of this tab (or the feed was reset): start a little back to show the recent jobs
    if (stored === null || stored > latest) session.cursor = Math.max(0, latest - REPLAY_ON_FIRST_LOAD);
  } catch {
    if (session.cursor === null) session.cursor = 0;
  }
  if (session.token) feed.start();
}

function renderFeedState(stateName, detail) {
  const pill = $('#feed-state');
  pill.dataset.state = stateName;
  $('#feed-state-text').textContent = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', stopped: 'offline' }[stateName] || stateName;
  const line = $('#feed-detail');
  if (stateName === 'reconnecting' && detail) fill(line, `Live feed interrupted: ${detail}`);
  else fill(line, 'Live from ', h('code', { text: '/sync/stream' }), '.');
}

// ---------------------------------------------------------------------------------------------------
// wiring

function wire() {
  $('#token-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy($('#token-submit'), () => signIn($('#token-input').value));
  });
  $('#dev-sign-in').addEventListener('click', devSignIn);
  $('#sign-out').addEventListener('click', () => signOut('Signed out. The token was removed from this tab.', false));
  $('#stats-refresh').addEventListener('click', (e) => busy(e.currentTarget, loadStats));
  $('#export-button').addEventListener('click', exportDocument);
  $('#import-file').addEventListener('change', onImportFile);
  $('#project-form').addEventListener('submit', changeProject);
  $('#create-form').addEventListener('submit', createBackup);
  $('#versions-table tbody').addEventListener('click', onVersionAction);
  $('#rename-form').addEventListener('submit', saveRename);
  $('#rename-cancel').addEventListener('click', () => $('#rename-dialog').close());
  $('#rename-dialog').addEventListener('close', () => {
    const opener = renaming && renaming.opener;
    renaming = null;
    refocus(opener, $('#backup-name'));
  });
  $('#jobs-clear').addEventListener('click', clearFinished);
  window.addEventListener('unhandledrejection', (e) => {
    // every call handles its own errors; this is the last line: shown, and still logged by the browser
    notify(`Unexpected error: ${describe(e.reason)}`, 'error');
  });
}

function boot() {
  wire();
  if (session.token) startDashboard();
  else showSignIn();
}

boot();
