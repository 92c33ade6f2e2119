// state.js: the event registry, the paths, and the tab's session storage (its keys must not change: a tab
// keeps its token, project, cursor and jobs across a reload of the console).

import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { emit, isEnded, on, projectPath, REMEMBERED_JOBS, session, state } from '../../main/resources/static/console/state.js';

const store = new Map();
globalThis.sessionStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
beforeEach(() => store.clear());

test('on/emit: every listener of the name, in order, with the arguments', () => {
  const seen = [];
  on('test-event', (a, b) => seen.push(`first ${a} ${b}`));
  on('test-event', (a) => seen.push(`second ${a}`));
  on('other-event', () => seen.push('other'));
  emit('test-event', 1, 2);
  emit('nobody-listens', 3);
  assert.deepEqual(seen, ['first 1 2', 'second 1']);
});

test('projectPath and isEnded', () => {
  assert.equal(state.project, 'demo');
  assert.equal(projectPath(), '/api/p/demo');
  assert.equal(projectPath('a b/c'), '/api/p/a%20b%2Fc');
  assert.deepEqual(['queued', 'processing', 'done', 'rejected'].map(isEnded), [false, false, true, true]);
});

test('session: token and project', () => {
  assert.equal(session.token, '');
  assert.equal(session.project, 'demo');
  session.token = 'abc';
  session.project = 'shop';
  assert.deepEqual(Object.fromEntries(store), { 'rp.token': 'abc', 'rp.project': 'shop' });
  session.token = '';
  assert.equal(store.has('rp.token'), false);
  assert.equal(session.project, 'shop');
});

test('session: cursor, null when unset or not a number', () => {
  assert.equal(session.cursor, null);
  session.cursor = 42;
  assert.equal(store.get('rp.cursor'), '42');
  assert.equal(session.cursor, 42);
  store.set('rp.cursor', 'garbage');
  assert.equal(session.cursor, null);
  session.cursor = null;
  assert.equal(store.has('rp.cursor'), false);
});

test('session: jobs, valid entries only, at most 30 kept', () => {
  assert.deepEqual(session.jobs, []);
  session.jobs = Array.from({ length: 40 }, (_, i) => ({ token: `t${i}`, project: 'demo', note: null }));
  assert.equal(JSON.parse(store.get('rp.jobs')).length, REMEMBERED_JOBS);
  assert.equal(session.jobs[0].token, 't0');
  store.set('rp.jobs', JSON.stringify([{ token: 'a', project: 'demo' }, { token: 1, project: 'demo' }, null, { token: 'b' }]));
  assert.deepEqual(session.jobs, [{ token: 'a', project: 'demo' }]);
  store.set('rp.jobs', '{not json');
  assert.deepEqual(session.jobs, []);
  store.set('rp.jobs', '{"token":"a"}');
  assert.deepEqual(session.jobs, []);
  session.jobs = [];
  assert.equal(store.has('rp.jobs'), false);
});
