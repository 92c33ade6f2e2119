// stats.js and versions.js: the stats delta and totals, what a backup left out, the project summary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statsDelta, tableTotals } from '../../main/resources/static/console/stats.js';
import { projectSummary, skippedText } from '../../main/resources/static/console/versions.js';
import { epoch } from '../../main/resources/static/console/format.js';

test('statsDelta: the change, or null without a previous count or without a change', () => {
  assert.equal(statsDelta(7, 5), 2);
  assert.equal(statsDelta(3, 5), -2);
  assert.equal(statsDelta('12', 2), 10);
  assert.equal(statsDelta(5, 5), null);
  assert.equal(statsDelta('5', 5), null);
  assert.equal(statsDelta(5, null), null);
  assert.equal(statsDelta(5, undefined), null);
  assert.equal(statsDelta(0, 4), -4);
});

test('tableTotals: sorted names and the total of the rows', () => {
  assert.deepEqual(tableTotals({ tables: { b: '2', a: 3, c: null } }), { tables: { b: '2', a: 3, c: null }, names: ['a', 'b', 'c'], total: 5 });
  assert.deepEqual(tableTotals({ tables: null }), { tables: {}, names: [], total: 0 });
  assert.deepEqual(tableTotals(null), { tables: {}, names: [], total: 0 });
});

test('skippedText: one object, or every object of a kind, with the reason', () => {
  assert.equal(skippedText([{ kind: 'trigger', name: 'audit', reason: 'no TRIGGER privilege' }, { kind: 'view', name: '*', reason: 'no SHOW VIEW' }]),
    'trigger audit (no TRIGGER privilege); every view (no SHOW VIEW)');
  assert.equal(skippedText([]), '');
});

test('projectSummary: name, owner, versions and valid ones, the last backup', () => {
  assert.equal(projectSummary({ gid: 'demo', owner: 'ana' }, [{ status: 'valid' }, { status: 'pending' }], null),
    'demo · owner ana · 2 versions (1 valid) · never backed up');
  assert.equal(projectSummary({ gid: 'demo', name: 'Demo shop' }, [{ status: 'valid' }], 1_700_000_000),
    `Demo shop · 1 version (1 valid) · last backup ${epoch(1_700_000_000)}`);
  assert.equal(projectSummary({ gid: 'x' }, [], 0), 'x · 0 versions (0 valid) · never backed up');
});
