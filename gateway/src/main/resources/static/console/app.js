// RestorePoint console: sign-in, database stats, export/import, backup versions and live job progress.
// Plain ES modules, no build step. This module only wires the features together and boots the page.

import { describe } from './api.js';
import { on, session, state } from './state.js';
import { notify } from './ui.js';
import { showSignIn, startDashboard, wireSignIn } from './signin.js';
import { loadStats, resetStats, wireStats } from './stats.js';
import { resetTransfer, wireTransfer } from './transfer.js';
import { loadProject, openProject, resetVersions, wireVersions } from './versions.js';
import { renderJobs, resetJobs, restoreJobs, startFeed, wireJobs } from './jobs.js';

function wire() {
  wireSignIn();
  // 'job-ended' listeners run in this order: the versions reload, the stats recount, the import shows
  wireVersions();
  wireStats();
  wireTransfer();
  wireJobs();
  on('signed-in', () => {
    renderJobs();
    loadStats();
    openProject();
    restoreJobs();
    startFeed();
  });
  on('signed-out', () => {
    resetJobs();
    resetStats();
    resetVersions();
    resetTransfer();
  });
  on('feed-gone', (error) => {
    // the feed no longer holds our cursor: re-read the state through /api and continue from what it keeps
    session.cursor = Number(error.info?.oldest_cursor ?? 0);
    loadProject();
    restoreJobs();
    loadStats();
  });
  window.addEventListener('unhandledrejection', (e) => {
    // every call handles its own errors; this is the last line: shown, and still logged by the browser
    notify(`Unexpected error: ${describe(e.reason)}`, 'error');
  });
}

function boot() {
  state.project = session.project;
  wire();
  if (session.token) startDashboard();
  else showSignIn();
}

boot();
