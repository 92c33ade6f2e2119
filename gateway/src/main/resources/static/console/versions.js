// The Backup versions card: the project's versions, and create, rename, delete, verify and restore.

import { $, fill, h, progressBar, show } from './dom.js';
import { api, CREATED_BY, on, projectPath, session, state } from './state.js';
import { busy, confirmDialog, debounce, notify, refocus, showError } from './ui.js';
import { jobFraction, renderJobs, upsertJob } from './jobs.js';
import * as fmt from './format.js';

/** "trigger audit (reason); every view (reason)": what a backup left out, for a title or a callout. */
export function skippedText(skipped) {
  return skipped.map((o) => `${o.name === '*' ? `every ${o.kind}` : `${o.kind} ${o.name}`} (${o.reason})`).join('; ');
}

/** The line under the card's title: name, owner, how many versions, the last backup. */
export function projectSummary(project, versions, lastBackedUp) {
  const valid = versions.filter((v) => v.status === 'valid').length;
  return [
    project.name || project.gid,
    project.owner ? `owner ${project.owner}` : null,
    `${fmt.plural(versions.length, 'version')} (${fmt.int(valid)} valid)`,
    lastBackedUp ? `last backup ${fmt.epoch(lastBackedUp)}` : 'never backed up',
  ].filter(Boolean).join(' · ');
}

// ---------------------------------------------------------------------------------------------------
// loading

let projectSeq = 0;

export async function loadProject() {
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

/** Shows the current project in the form and loads it. */
export function openProject() {
  $('#project-input').value = state.project;
  loadProject();
}

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

// ---------------------------------------------------------------------------------------------------
// the table

function renderVersions() {
  const project = state.projectData;
  $('#project-summary').textContent = project ? projectSummary(project, state.versions, state.lastBackedUp) : '';
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

// ---------------------------------------------------------------------------------------------------
// actions

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

export function resetVersions() {
  fill($('#versions-table tbody'));
  showError('#backups-error', null);
  $('#project-summary').textContent = '';
}

export function wireVersions() {
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
  on('job-ended', (job) => {
    if (job.project_gid === state.project) scheduleProject();
  });
  on('feed-event', (event) => {
    if (event.data_type === 'projects' && event.data_key === state.project) scheduleProject();
  });
  on('jobs-rendered', renderVersionProgress);
}
