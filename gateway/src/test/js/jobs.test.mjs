// jobs.js: what a job says (label, progress, failure, meta line) and which jobs the card keeps and shows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  endedWhileWatched, failureText, isOlder, jobFraction, jobLabel, jobMeta, remembered, shownJobs,
} from '../../main/resources/static/console/jobs.js';
import { time } from '../../main/resources/static/console/format.js';

test('jobLabel: the kind and the version, none for imports', () => {
  assert.equal(jobLabel({ job: 'backup_project', version: 3 }), 'Backup v3');
  assert.equal(jobLabel({ job: 'restore_project', version: '7' }), 'Restore v7');
  assert.equal(jobLabel({ job: 'verify_backup', version: 0 }), 'Verify v0');
  assert.equal(jobLabel({ job: 'import_data', version: 2 }), 'Import');
  assert.equal(jobLabel({ job: 'backup_project', version: null }), 'Backup');
  assert.equal(jobLabel({ job: 'reindex' }), 'reindex');
  assert.equal(jobLabel({}), 'Job');
});

test('jobFraction: done is whole, the work done when known, nothing known while processing', () => {
  assert.equal(jobFraction({ status: 'done', info: { total: 0 } }), 1);
  assert.equal(jobFraction({ status: 'processing', info: { total: 200, remaining: 50 } }), 0.75);
  assert.equal(jobFraction({ status: 'processing', info: { total: '100', remaining: '25' } }), 0.75);
  assert.equal(jobFraction({ status: 'processing', info: { total: 10, remaining: 20 } }), 0);
  assert.equal(jobFraction({ status: 'rejected', info: { total: 10, remaining: 4 } }), 0.6);
  assert.equal(jobFraction({ status: 'queued' }), 0);
  assert.equal(jobFraction({ status: 'rejected', info: {} }), 0);
  assert.equal(jobFraction({ status: 'processing', info: { total: 0, remaining: 0 } }), null);
});

test('failureText: the reason, the table and the code it does not already say', () => {
  assert.equal(failureText({}), 'no reason given');
  assert.equal(failureText({ failure: { reason: 'Duplicate key', table: 'users', code: 1062 } }), 'Duplicate key — table users — code 1062');
  assert.equal(failureText({ failure: { message: 'Table users is locked', table: 'users', code: 1003 } }), 'Table users is locked');
  assert.equal(failureText({ failure: { reason: 'Disk full', message: 'ignored' } }), 'Disk full');
});

test('jobMeta: queued, processing and done', () => {
  assert.deepEqual(jobMeta({ status: 'queued', queue_position: 2 }), ['queued, 2 jobs ahead']);
  assert.deepEqual(jobMeta({ status: 'queued', queue_position: 1 }), ['queued, 1 job ahead']);
  assert.deepEqual(jobMeta({ status: 'queued', queue_position: 0 }), ['queued']);
  assert.deepEqual(jobMeta({ status: 'processing', info: { total: 200, remaining: 50, phase: 'rows', unit: 'tables' } }),
    ['150 of 200 tables', 'phase: rows', '75%']);
  assert.deepEqual(jobMeta({ status: 'processing', info: {} }), []);
  assert.deepEqual(jobMeta({ status: 'done', result: { rows: 5, bytes: 2048 }, created_on: 100, updated_on: 103.5 }),
    ['5 rows', '2 KB', 'took 3.5 s', `updated ${time(103.5)}`]);
  assert.deepEqual(jobMeta({ status: 'done', info: { total: 9, unit: 'objects' } }), ['9 objects']);
  assert.deepEqual(jobMeta({ status: 'rejected', updated_on: 50 }), [`updated ${time(50)}`]);
});

test('shownJobs: the project\'s jobs, newest first, at most 12', () => {
  const jobs = Array.from({ length: 14 }, (_, i) => ({ token: `t${i}`, project_gid: 'demo', created_on: i }));
  jobs.push({ token: 'other', project_gid: 'shop', created_on: 99 });
  const shown = shownJobs(new Map(jobs.map((j) => [j.token, j])).values(), 'demo');
  assert.equal(shown.length, 12);
  assert.equal(shown[0].token, 't13');
  assert.equal(shown[11].token, 't2');
  assert.deepEqual(shownJobs(jobs, 'shop').map((j) => j.token), ['other']);
  assert.deepEqual(shownJobs(jobs, 'none'), []);
});

test('isOlder: news that arrived after newer news', () => {
  assert.equal(isOlder({ updated_on: 5 }, { updated_on: 6 }), true);
  assert.equal(isOlder({ updated_on: 6 }, { updated_on: 6 }), false);
  assert.equal(isOlder({ updated_on: 7 }, { updated_on: 6 }), false);
  assert.equal(isOlder({}, { updated_on: 1 }), true);
  assert.equal(isOlder({ updated_on: 1 }, undefined), false);
});

test('endedWhileWatched: only jobs seen running that ended after the page opened', () => {
  const job = { status: 'done', updated_on: 1000 };
  assert.equal(endedWhileWatched(job, { status: 'processing' }, 1001), true);
  assert.equal(endedWhileWatched(job, { status: 'queued' }, 1002), true);
  assert.equal(endedWhileWatched(job, { status: 'processing' }, 1003), false);
  assert.equal(endedWhileWatched(job, undefined, 900), false);
  assert.equal(endedWhileWatched(job, {}, 900), false);
  assert.equal(endedWhileWatched(job, { status: 'rejected' }, 900), false);
});

test('remembered: new jobs first, a new note kept, no change otherwise', () => {
  const list = [{ token: 'a', project: 'demo', note: null }];
  assert.deepEqual(remembered(list, { token: 'b', project_gid: 'shop' }, 'Import of x.json'),
    [{ token: 'b', project: 'shop', note: 'Import of x.json' }, { token: 'a', project: 'demo', note: null }]);
  assert.equal(remembered(list, { token: 'b', project_gid: 'shop' }, 'Import of x.json'), null);
  assert.equal(remembered(list, { token: 'a', project_gid: 'demo' }, null), null);
  assert.equal(remembered(list, { token: 'a', project_gid: 'demo' }, 'Restore of “v1”')[1].note, 'Restore of “v1”');
});
