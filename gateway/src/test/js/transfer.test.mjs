// transfer.js: the export's file name, the import preview's caption and the import's totals.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  doubtful, filenameFrom, importCounts, importTotals, previewCaption, versionOk,
} from '../../main/resources/static/console/transfer.js';

test('filenameFrom: quoted, bare, RFC 5987 (first), no path separators', () => {
  assert.equal(filenameFrom(null), null);
  assert.equal(filenameFrom(''), null);
  assert.equal(filenameFrom('inline'), null);
  assert.equal(filenameFrom('attachment; filename="restorepoint-export-2024.json"'), 'restorepoint-export-2024.json');
  assert.equal(filenameFrom('attachment; filename=export.json; size=12'), 'export.json');
  assert.equal(filenameFrom('attachment; filename="a \\"b\\".json"'), 'a "b".json');
  assert.equal(filenameFrom('attachment; filename="plain.json"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.json'), 'résumé.json');
  assert.equal(filenameFrom('attachment; filename*=utf-8\'\'%E0%A4%A; filename="fallback.json"'), 'fallback.json');
  assert.equal(filenameFrom('attachment; filename=../../etc/passwd'), '.._.._etc_passwd');
  assert.equal(filenameFrom('attachment; filename="C:\\\\temp\\\\x.json"'), 'C:_temp_x.json');
});

test('versionOk: the version this server reads, as text', () => {
  assert.equal(versionOk({ version: '2.0' }), true);
  assert.equal(versionOk({ version: '1.0' }), false);
  assert.equal(versionOk({ version: 2 }), false);
  assert.equal(versionOk({ version: null }), false);
  assert.equal(versionOk({}), false);
});

test('previewCaption: rows, tables and where the counts come from', () => {
  assert.equal(previewCaption({ tables: [{ table: 'a', rows: 2 }, { table: 'b', rows: null }], source: 'scanned' }),
    '2 rows in 2 tables, counted by reading the file');
  assert.equal(previewCaption({ tables: [{ table: 'a', rows: 1 }], source: 'parsed' }), '1 row in 1 table, counted in the file');
  assert.equal(previewCaption({ tables: [{ table: 'a', rows: 0 }], source: 'counts' }), '0 rows in 1 table, from the document’s counts');
});

test('doubtful: an error or any warning', () => {
  assert.equal(doubtful({ error: null, warnings: [] }), false);
  assert.equal(doubtful({ error: 'The file is empty.', warnings: [] }), true);
  assert.equal(doubtful({ error: null, warnings: ['Tables not in the database: x.'] }), true);
});

test('importTotals: every table of either map, rows inserted and skipped', () => {
  assert.deepEqual(importTotals({ users: 2, orders: '3' }, { users: 1, sesiones: 5 }),
    { tables: ['users', 'orders', 'sesiones'], inserted: 5, kept: 6 });
  assert.deepEqual(importTotals({}, {}), { tables: [], inserted: 0, kept: 0 });
});

test('importCounts: a finished import job\'s result per table', () => {
  assert.deepEqual(importCounts({ result: { tables: { users: { inserted: 2, skipped: 1 }, orders: { inserted: 0, skipped: 4 } } } }),
    { imported: { users: 2, orders: 0 }, skipped: { users: 1, orders: 4 } });
  assert.deepEqual(importCounts({ status: 'done' }), { imported: {}, skipped: {} });
});
