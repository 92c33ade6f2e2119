// What every part of the console shares: the tab's session storage, the page state, the API client, the
// live feed, and a tiny event registry so that features never import each other both ways.
// Nothing here touches the page or the storage at import time (the unit tests import it in Node).

import { createApi } from './api.js';
import { Feed } from './feed.js';

export const KEYS = { token: 'rp.token', project: 'rp.project', cursor: 'rp.cursor', jobs: 'rp.jobs' };
export const DEFAULT_PROJECT = 'demo';
export const REMEMBERED_JOBS = 30;
export const JOBS_SHOWN = 12;
/** On the first load of a tab the feed starts this many events back, to show the recent jobs. */
export const REPLAY_ON_FIRST_LOAD = 100;
export const CREATED_BY = 'console';

// ---------------------------------------------------------------------------------------------------
// events: the lower feature emits, the higher one listens (and app.js wires the rest)
//   unauthorized (error)       a 401 or the feed's token-expired: signin.js signs out
//   signed-in ()               the dashboard is shown: app.js loads every card
//   signed-out ()              the token is gone: app.js empties every card
//   feed-event (event)         every `cc` event of the live feed, in cursor order
//   feed-state (name, detail)  connecting | live | reconnecting | stopped
//   feed-gone (error)          410: the feed no longer holds our cursor
//   job-ended (job, before)    jobs.js: a job reached done or rejected
//   jobs-rendered ()           jobs.js: the job list was drawn again

const listeners = new Map();

/** Calls fn(...args) on every emit(name, ...args), in the order registered. */
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

export function emit(name, ...args) {
  for (const fn of listeners.get(name) || []) fn(...args);
}

// ---------------------------------------------------------------------------------------------------
// session storage

export const session = {
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

export const state = {
  project: DEFAULT_PROJECT, // app.js boot() reads the stored one
  projectData: null,
  versions: [],
  knownTables: null,
  previousTables: null,
  previousTotal: null,
  jobs: new Map(), // token → job as the API shows it, plus token
  notes: new Map(), // token → what the job is for, e.g. "Safety backup before restoring v3"
  pendingImport: null, // {token, report, started} of an import still running after the call answered 202
  openedAt: Date.now() / 1000,
};

export const api = createApi({ token: () => session.token, onUnauthorized: (error) => emit('unauthorized', error) });

export const feed = new Feed({
  token: () => session.token,
  cursor: () => session.cursor ?? 0,
  onEvent: (event) => emit('feed-event', event),
  onState: (name, detail) => emit('feed-state', name, detail),
  onGone: (error) => emit('feed-gone', error),
  onUnauthorized: (error) => emit('unauthorized', error),
});

// ---------------------------------------------------------------------------------------------------
// small helpers

export const enc = encodeURIComponent;
export const projectPath = (project = state.project) => `/api/p/${enc(project)}`;
export const isEnded = (status) => status === 'done' || status === 'rejected';
