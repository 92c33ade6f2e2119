// api.js: the error envelope, readable messages, and the client's requests (with a stand-in fetch).

import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, createApi, describe, errorFrom, readError } from '../../main/resources/static/console/api.js';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

test('errorFrom: the envelope gives code, message and info', () => {
  const error = errorFrom(422, 'Unprocessable Entity', { success: false, result: { code: 1001, message: 'Bad row', info: { table: 'users' } } });
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 422);
  assert.equal(error.code, 1001);
  assert.equal(error.message, 'Bad row');
  assert.deepEqual(error.info, { table: 'users' });
});

test('errorFrom: without an envelope, a text for the status', () => {
  assert.equal(errorFrom(404, '', null).message, 'Not found');
  assert.equal(errorFrom(404, '', null).code, 404);
  assert.equal(errorFrom(413, 'Payload Too Large', { result: {} }).message, 'The document is too large');
  assert.equal(errorFrom(418, "I'm a teapot", 'text').message, "I'm a teapot");
  assert.equal(errorFrom(599, '', null).message, 'HTTP 599');
  assert.deepEqual(errorFrom(500, '', null).info, {});
});

test('describe: the message, the details it does not already name, status and code', () => {
  const error = new ApiError({ status: 422, code: 1001, message: 'Invalid value', info: { reason: 'not an email', table: 'users', column: 'email', row: 0 } });
  assert.equal(describe(error), 'Invalid value — not an email; table users; column email; row index 0 (HTTP 422, code 1001)');
  assert.equal(describe(new ApiError({ status: 422, code: 1001, message: 'Table users is missing', info: { table: 'users' } })),
    'Table users is missing (HTTP 422, code 1001)');
  assert.equal(describe(new ApiError({ status: 404, message: 'No such project' })), 'No such project (HTTP 404)');
  assert.equal(describe(new ApiError({ status: 400, code: 1004, message: 'Wrong version', info: { supported: ['2.0', '2.1'] } })),
    'Wrong version — supported: 2.0, 2.1 (HTTP 400, code 1004)');
  assert.equal(describe(new ApiError({ status: 0, message: 'Gone quiet', info: { process: 'backup' } })), 'Gone quiet — process backup');
});

test('describe: transport errors and anything else', () => {
  assert.equal(describe(new DOMException('aborted', 'AbortError')), 'The request was cancelled.');
  assert.equal(describe(new TypeError('fetch failed')), 'The gateway could not be reached (network error). Is it running?');
  assert.equal(describe(new Error('boom')), 'boom');
  assert.equal(describe('plain text'), 'plain text');
});

test('readError: a JSON envelope or any other body', async () => {
  const envelope = await readError(new Response('{"success":false,"result":{"code":1002,"message":"Nope"}}', { status: 403, statusText: 'Forbidden' }));
  assert.equal(envelope.code, 1002);
  assert.equal(envelope.message, 'Nope');
  const html = await readError(new Response('<html>down</html>', { status: 502 }));
  assert.equal(html.message, 'Bad gateway');
  assert.equal(html.status, 502);
});

test('createApi: the token, JSON bodies, and the answer parsed', async () => {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    calls.push({ path, init });
    return new Response(path.endsWith('/empty') ? '' : '{"result":{"ok":true}}', { status: 200 });
  };
  const api = createApi({ token: () => 'tok' });
  assert.deepEqual(await api.get('/api/p/demo/init'), { result: { ok: true } });
  assert.equal(await api.post('/sync/empty'), null);
  assert.equal(calls[0].init.method, 'GET');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer tok');
  assert.equal(calls[0].init.headers.Accept, 'application/json');
  assert.equal(calls[0].init.body, undefined);
  assert.equal(calls[0].init.cache, 'no-store');
  assert.equal(calls[1].init.method, 'POST');
  assert.equal(calls[1].init.body, '{}');
  assert.equal(calls[1].init.headers['Content-Type'], 'application/json');
});

test('createApi: a 401 is reported before it is thrown; no token, no header', async () => {
  globalThis.fetch = async (path, init) => {
    assert.equal(init.headers.Authorization, undefined);
    return new Response('{"result":{"code":401,"message":"Token expired"}}', { status: 401 });
  };
  const seen = [];
  const api = createApi({ token: () => '', onUnauthorized: (error) => seen.push(error.message) });
  await assert.rejects(api.post('/api/p/demo/backups/create', { name: 'x' }), (e) => e instanceof ApiError && e.status === 401);
  assert.deepEqual(seen, ['Token expired']);
});
