// The Jobs card and the live feed: every job this tab started or saw, its progress and its end, remembered
// in the tab's session so a reload shows them again.

import { $, fill, h, progressBar, show } from './dom.js';
import { api, emit, enc, feed, isEnded, JOBS_SHOWN, on, projectPath, REPLAY_ON_FIRST_LOAD, session, state } from './state.js';
import { notify } from './ui.js';
import * as fmt from './format.js';

const JOB_NAMES = { backup_project: 'Backup', restore_project: 'Restore', verify_backup: 'Verify', import_data: 'Import' };
const STATUS_BADGES = { done: 'ok', rejected: 'bad', processing: 'busy', queued: 'idle' };
const FEED_STATES = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', stopped: 'offline' };

// ---------------------------------------------------------------------------------------------------
// what a job says (no page, no requests)

export function jobLabel(job) {
  const name = JOB_NAMES[job.job] || job.job || 'Job';
  return job.version !== undefined && job.version !== null && job.job !== 'import_data' ? `${name} v${job.version}` : name;
}

/** 0..1, or null while processing with the amount of work not known yet. */
export function jobFraction(job) {
  const info = job.info || {};
  const total = Number(info.total || 0);
  const remaining = Number(info.remaining || 0);
  if (job.status === 'done') return 1;
  if (total > 0) return Math.max(0, Math.min(1, (total - remaining) / total));
  if (job.status === 'queued' || job.status === 'rejected') return 0;
  return null; // processing, the amount of work not known yet
}

export function failureText(job) {
  const f = job.failure || {};
  const parts = [f.reason || f.message || 'no reason given'];
  if (f.table && !String(parts[0]).includes(f.table)) parts.push(`table ${f.table}`);
  if (f.code && f.code !== 1003) parts.push(`code ${f.code}`);
  return parts.join(' — ');
}

/** The parts of a job's meta line: queue position, work done, phase, percent, duration, last update. */
export function jobMeta(job) {
  const info = job.info || {};
  const fraction = jobFraction(job);
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
  return meta;
}

/** The jobs of one project the card shows: newest first, at most JOBS_SHOWN. */
export function shownJobs(jobs, project) {
  return [...jobs]
    .filter((j) => j.project_gid === project)
    .sort((a, b) => Number(b.created_on || 0) - Number(a.created_on || 0))
    .slice(0, JOBS_SHOWN);
}

/** True when incoming is older news than what is known (an event that arrived late). */
export function isOlder(incoming, current) {
  return Boolean(current) && Number(current.updated_on || 0) > Number(incoming.updated_on || 0);
}

/** True when the end of a job is news: it was seen running, and it ended after the page was opened. */
export function endedWhileWatched(job, before, openedAt) {
  return Boolean(before && before.status && !isEnded(before.status) && Number(job.updated_on || 0) >= openedAt - 2);
}

/** The remembered list [{token, project, note}] with job in it, or null when it does not change. */
export function remembered(list, job, note) {
  const known = list.find((j) => j.token === job.token);
  if (known) {
    if (!note || known.note === note) return null;
    known.note = note;
    return list;
  }
  list.unshift({ token: job.token, project: job.project_gid, note });
  return list;
}

// ---------------------------------------------------------------------------------------------------
// the job list

export function upsertJob(incoming) {
  const token = incoming.token || incoming['job.token'];
  if (!token) return;
  const current = state.jobs.get(token);
  if (isOlder(incoming, current)) return; // older news
  const job = { ...current, ...incoming, token };
  if (!job.project_gid) job.project_gid = state.project;
  state.jobs.set(token, job);
  remember(job);
  scheduleJobsRender();
  if (isEnded(job.status) && (!current || current.status !== job.status)) jobEnded(job, current);
}

export function remember(job) {
  const list = remembered(session.jobs, job, state.notes.get(job.token) || null);
  if (list) session.jobs = list;
}

function forget(tokens) {
  const drop = new Set(tokens);
  session.jobs = session.jobs.filter((j) => !drop.has(j.token));
  for (const token of drop) state.jobs.delete(token);
}

function jobEnded(job, before) {
  emit('job-ended', job, before); // the versions, the stats and a pending import follow
  // only news: not the jobs that ended before this page was opened (the feed replays them on load)
  if (endedWhileWatched(job, before, state.openedAt) && job.job !== 'import_data') {
    if (job.status === 'done') notify(`${jobLabel(job)} finished.`, 'success');
    else notify(`${jobLabel(job)} failed: ${failureText(job)}`, 'error');
  }
}

let jobsRenderPending = false;

export function scheduleJobsRender() {
  if (jobsRenderPending) return;
  jobsRenderPending = true;
  setTimeout(() => {
    jobsRenderPending = false;
    renderJobs();
  }, 30);
}

export function renderJobs() {
  const jobs = shownJobs(state.jobs.values(), state.project);
  fill($('#jobs'), jobs.map(jobItem));
  show($('#jobs-empty'), jobs.length === 0);
  emit('jobs-rendered');
}

function jobItem(job) {
  const fraction = jobFraction(job);
  const label = jobLabel(job);
  const versionName = job.job !== 'import_data' ? state.versions.find((v) => v.version === Number(job.version))?.name : null;
  const note = state.notes.get(job.token);
  return h('li', { class: `job ${job.status}`, dataset: { token: job.token, job: job.job, status: job.status, version: job.version ?? '' } },
    h('div', { class: 'job-head' },
      h('span', { class: 'job-title' }, h('strong', { text: label }),
        versionName ? h('span', { class: 'muted', text: ` “${versionName}”` }) : null),
      h('span', { class: `badge ${STATUS_BADGES[job.status] || 'idle'}`, dataset: { role: 'job-status' }, text: job.status })),
    progressBar(fraction, `${label} progress`, job.status),
    h('div', { class: 'job-meta muted', text: jobMeta(job).join(' · ') }),
    note && !versionName ? h('div', { class: 'job-note', text: note }) : null,
    job.status === 'rejected' ? h('p', { class: 'failure', role: 'alert', text: `Failed: ${failureText(job)}` }) : null);
}

/** Asks for the jobs this tab remembers; forgets those the gateway no longer has (or shows us). */
export async function restoreJobs() {
  const list = session.jobs;
  for (const r of list) if (r.note) state.notes.set(r.token, r.note);
  const gone = [];
  await Promise.all(list.map(async (r) => {
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

export function resetJobs() {
  fill($('#jobs'));
}

// ---------------------------------------------------------------------------------------------------
// live feed

function handleFeedEvent(event) {
  if (Number.isFinite(Number(event.cursor))) session.cursor = Number(event.cursor);
  if (event.data_type === 'jobs' && event.data && event.data_key) {
    upsertJob({ ...event.data, token: event.data_key });
  }
}

export async function startFeed() {
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
  $('#feed-state-text').textContent = FEED_STATES[stateName] || stateName;
  const line = $('#feed-detail');
  if (stateName === 'reconnecting' && detail) fill(line, `Live feed interrupted: ${detail}`);
  else fill(line, 'Live from ', h('code', { text: '/sync/stream' }), '.');
}

export function wireJobs() {
  $('#jobs-clear').addEventListener('click', clearFinished);
  on('feed-event', handleFeedEvent);
  on('feed-state', renderFeedState);
}
