// feed.js: the text/event-stream parser the live feed reads with.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../../main/resources/static/console/feed.js';

const parse = (...chunks) => {
  const events = [];
  const parser = new SseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return events;
};

test('events with a name, data lines joined, an id; comments ignored', () => {
  assert.deepEqual(parse(': keep-alive\n\nevent: cc\nid: 7\ndata: {"a":\ndata: 1}\n\ndata:plain\n\n'), [
    { event: 'cc', data: '{"a":\n1}', id: '7' },
    { event: 'message', data: 'plain', id: null },
  ]);
});

test('any line ending, and events split anywhere between chunks', () => {
  assert.deepEqual(parse('event: cc\r', '\ndata: x\r\n\r', '\nevent: token-expired\rdata\r\r', '\n'), [
    { event: 'cc', data: 'x', id: null },
    { event: 'token-expired', data: '', id: null },
  ]);
  // a \r at the very end may be half of \r\n: the blank line is only known with the next chunk
  assert.deepEqual(parse('data: y\r\r'), []);
  assert.deepEqual(parse('data: y\r\r', 'event: next'), [{ event: 'message', data: 'y', id: null }]);
  assert.deepEqual(parse('da', 'ta: 1', '\n', '\n'), [{ event: 'message', data: '1', id: null }]);
});

test('no event without data, and none before the blank line', () => {
  assert.deepEqual(parse('event: cc\n\n'), []);
  assert.deepEqual(parse('data: waiting\n'), []);
});
