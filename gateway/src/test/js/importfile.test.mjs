// importfile.js: the local preview of an import document, on small export documents built here. A small
// limit of 0 makes inspect() read them the way it reads a big file (head, tail counts, streaming scan).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Blob, File } from 'node:buffer'; // globals from Node 20 on; Node 18 has them here
import { inspect, scan, SUPPORTED_VERSION } from '../../main/resources/static/console/importfile.js';

const BIG = { smallLimit: 0 };
const file = (doc, name = 'export.json') => new File([typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2)], name, { type: 'application/json' });
const rows = (report) => Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));

const META = { version: '2.0', exportDate: '2024-05-01T10:00:00Z', server: 'db1', project: 'demo', database: 'shop' };
const DATA = {
  users: [{ id: 1, name: 'Zoë', tags: [1, 2, 3] }, { id: 2, name: 'say "hi" ] }, [' }],
  orders: [{ id: 1, note: 'a\\b {x} "y"', lines: [{ n: 1 }, { n: 2 }] }],
  empty: [],
};
const COUNTS = { users: 2, orders: 1, empty: 0 };

test('a valid document with counts, read whole: metadata and rows per table, no warnings', async () => {
  const report = await inspect(file({ ...META, data: DATA, counts: COUNTS }));
  assert.equal(report.error, null);
  assert.equal(report.source, 'parsed');
  assert.equal(report.name, 'export.json');
  assert.ok(report.size > 100);
  assert.equal(report.version, SUPPORTED_VERSION);
  assert.equal(report.exportDate, META.exportDate);
  assert.equal(report.server, 'db1');
  assert.equal(report.database, 'shop');
  assert.deepEqual(report.tables, [{ table: 'users', rows: 2 }, { table: 'orders', rows: 1 }, { table: 'empty', rows: 0 }]);
  assert.deepEqual(report.warnings, []);
});

test('read whole: counts that disagree, tables the database lacks, a table that is not a list', async () => {
  const report = await inspect(file({ ...META, data: { ...DATA, extra: { id: 1 } }, counts: { ...COUNTS, users: 5 } }),
    { knownTables: ['users', 'orders', 'empty'] });
  assert.equal(report.error, null);
  assert.deepEqual(rows(report), { users: 2, orders: 1, empty: 0, extra: null });
  assert.deepEqual(report.warnings, [
    'Not a list of rows: extra.',
    'The "counts" do not match the rows of: users.',
    'Tables not in the database: extra.',
  ]);
});

test('a big document with counts: the metadata from its head, the rows from its counts', async () => {
  const progress = [];
  const report = await inspect(file({ ...META, data: DATA, counts: { users: 20, orders: 10, empty: 0 } }), { ...BIG, onProgress: (f) => progress.push(f) });
  assert.equal(report.error, null);
  assert.equal(report.source, 'counts');
  assert.equal(report.project, 'demo');
  assert.equal(report.version, '2.0');
  assert.deepEqual(rows(report), { users: 20, orders: 10, empty: 0 }); // trusted, not counted
  assert.deepEqual(report.warnings, []);
  assert.deepEqual(progress, []); // nothing scanned
});

test('a big document without counts is scanned: brackets and quotes inside strings are not rows', async () => {
  const progress = [];
  const report = await inspect(file({ ...META, data: DATA }), { ...BIG, onProgress: (f) => progress.push(f) });
  assert.equal(report.error, null);
  assert.equal(report.source, 'scanned');
  assert.equal(report.server, 'db1');
  assert.deepEqual(rows(report), { users: 2, orders: 1, empty: 0 });
  assert.deepEqual(report.warnings, []);
  assert.deepEqual(progress, [1]);
});

test('scanned and read whole agree on a compact document', async () => {
  const text = JSON.stringify({ data: DATA, version: '2.0' });
  const whole = await inspect(file(text));
  const scanned = await inspect(file(text), BIG);
  assert.equal(scanned.source, 'scanned');
  assert.deepEqual(scanned.tables, whole.tables);
  assert.equal(scanned.version, '2.0');
});

test('not an object: an error, read whole or big', async () => {
  for (const options of [{}, BIG]) {
    const report = await inspect(file('[{"users": []}]'), options);
    assert.equal(report.error, 'This file is not an export document (it must be a JSON object).');
    assert.equal(report.tables, null);
  }
});

test('no version, another version, no data: warnings, not errors', async () => {
  const missing = await inspect(file({ data: { users: [{ id: 1 }] } }));
  assert.equal(missing.error, null);
  assert.deepEqual(missing.warnings, ['The document has no "version"; this server reads version 2.0 exports.']);
  const other = await inspect(file({ version: '1.0', data: {} }));
  assert.deepEqual(other.warnings, ['The document is version 1.0; this server reads version 2.0.']);
  const noData = await inspect(file({ version: '2.0' }));
  assert.equal(noData.tables, null);
  assert.deepEqual(noData.warnings, ['The document has no "data" object with the tables.']);
  const noDataBig = await inspect(file({ version: '2.0', rows: [1, 2] }), BIG);
  assert.equal(noDataBig.source, 'scanned');
  assert.deepEqual(noDataBig.warnings, ['The document has no "data" object with the tables.']);
});

test('empty, not JSON, cut short', async () => {
  assert.equal((await inspect(file(''))).error, 'The file is empty.');
  assert.match((await inspect(file('{"version": "2.0", '))).error, /^This file is not valid JSON \(.+\)\.$/);
  const cut = await inspect(file('{"version": "2.0", "data": {"users": [{"id": 1}, {"id": '), BIG);
  assert.equal(cut.error, 'This file is not valid JSON (it ends in the middle of the document).');
  assert.deepEqual(cut.warnings, []);
});

test('scan: counts per table, top-level metadata (escapes decoded), whether there is data', async () => {
  const blob = new Blob(['{"version":"2.0","server":"db \\"one\\"","data":{"a":[1,"x",[2,3],{"b":[4]}],"c":[]},"after":{"d":[1,2]}}']);
  const result = await scan(blob);
  assert.equal(result.error, null);
  assert.equal(result.hasData, true);
  assert.deepEqual(Object.fromEntries(result.counts), { a: 4, c: 0 });
  assert.deepEqual(result.meta, { version: '2.0', server: 'db "one"' });
  const bare = await scan(new Blob(['42']));
  assert.equal(bare.error, 'This file is not an export document (it must be a JSON object).');
});
