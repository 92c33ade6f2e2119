// ui.js: debounce (the rest of ui.js draws on the page, which ConsoleIT covers in a browser).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debounce } from '../../main/resources/static/console/ui.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('debounce: one call after the calls stop', async () => {
  let calls = 0;
  const run = debounce(() => calls++, 20);
  run();
  run();
  run();
  assert.equal(calls, 0);
  await sleep(60);
  assert.equal(calls, 1);
  run();
  await sleep(60);
  assert.equal(calls, 2);
});
