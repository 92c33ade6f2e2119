// format.js: numbers, sizes and times. The expected numbers are written in the locale Node runs with
// (format.js formats with the default locale), so the tests pass in any locale and still check the values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fmt from '../../main/resources/static/console/format.js';

const local = (n, digits = 0) => new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(n);
const english = new Intl.NumberFormat().resolvedOptions().locale.startsWith('en');

test('bytes: the unit that keeps the number under 1024, one decimal above bytes', () => {
  assert.equal(fmt.bytes(0), '0 B');
  assert.equal(fmt.bytes(1023), `${local(1023)} B`);
  assert.equal(fmt.bytes(1024), '1 KB');
  assert.equal(fmt.bytes(1536), `${local(1.5, 1)} KB`);
  assert.equal(fmt.bytes(3 * 1024 * 1024), '3 MB');
  assert.equal(fmt.bytes(1.25 * 1024 ** 3), `${local(1.25, 1)} GB`);
  assert.equal(fmt.bytes(2048 * 1024 ** 4), `${local(2048)} TB`); // no unit above TB
  assert.equal(fmt.bytes('1536'), `${local(1.5, 1)} KB`);
  if (english) assert.equal(fmt.bytes(1536), '1.5 KB');
});

test('bytes and int: a dash for nothing or not a number', () => {
  for (const value of [null, undefined, 'lots', NaN]) {
    assert.equal(fmt.bytes(value), '–');
    assert.equal(fmt.int(value), '–');
  }
});

test('int: rounded and grouped', () => {
  assert.equal(fmt.int(1234567), local(1234567));
  assert.equal(fmt.int(2.6), '3');
  assert.equal(fmt.int('42'), '42');
  if (english) assert.equal(fmt.int(1234567), '1,234,567');
});

test('plural: one, many, and a given plural', () => {
  assert.equal(fmt.plural(1, 'row'), '1 row');
  assert.equal(fmt.plural(0, 'row'), '0 rows');
  assert.equal(fmt.plural('1', 'table'), '1 table');
  assert.equal(fmt.plural(3, 'entry', 'entries'), '3 entries');
  assert.equal(fmt.plural(1500, 'row'), `${local(1500)} rows`);
});

test('percent: clamped to 0..100 and rounded', () => {
  assert.equal(fmt.percent(0.756), '76%');
  assert.equal(fmt.percent(1.7), '100%');
  assert.equal(fmt.percent(-0.2), '0%');
});

test('epoch, iso, time, when: a dash for nothing, local time otherwise', () => {
  assert.equal(fmt.epoch(null), '–');
  assert.equal(fmt.time(undefined), '–');
  assert.equal(fmt.when(null), '–');
  assert.equal(fmt.iso(''), '–');
  assert.equal(fmt.epoch(1_700_000_000.5), fmt.dateTime(new Date(1_700_000_000_500)));
  assert.equal(fmt.iso('2024-05-01T10:00:00Z'), fmt.dateTime(new Date(Date.UTC(2024, 4, 1, 10))));
  assert.equal(fmt.iso('not a date'), 'not a date');
  assert.match(fmt.when(Date.now() / 1000), /^today /);
  assert.doesNotMatch(fmt.when(Date.now() / 1000 - 3 * 86400), /^today/);
});
