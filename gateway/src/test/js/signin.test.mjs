// signin.js: reading a pasted token before the gateway judges it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { challengeReason, identity, isExpired, parseJwt, tokenFrom } from '../../main/resources/static/console/signin.js';

const b64url = (text) => Buffer.from(text).toString('base64url');
const jwt = (claims) => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(typeof claims === 'string' ? claims : JSON.stringify(claims))}.c2lnbmF0dXJl`;
const NOT_THREE = 'That is not a JWT: a token is three base64url parts separated by dots (header.payload.signature).';
const NOT_JSON = 'That is not a JWT: its payload is not a JSON object.';

test('parseJwt: the claims of the payload, UTF-8 and unpadded base64url', () => {
  const claims = { sub: 'u-1', name: 'Zoë Ñandú', roles: ['admin'], exp: 2_000_000_000, x: '>>>???' };
  assert.deepEqual(parseJwt(jwt(claims)), claims);
  assert.deepEqual(parseJwt(jwt({ a: 1 })), { a: 1 }); // a payload whose base64 needs padding
});

test('parseJwt: not three base64url parts', () => {
  for (const token of ['not a token', 'a.b', 'a.b.c.d', '.e30.sig', 'eyJ9.e30+.sig', 'a.!!.c']) {
    assert.throws(() => parseJwt(token), { message: NOT_THREE }, token);
  }
});

test('parseJwt: a payload that is not a JSON object', () => {
  for (const payload of ['not json', 'null', '"text"', '42']) {
    assert.throws(() => parseJwt(jwt(payload)), { message: NOT_JSON }, payload);
  }
});

test('tokenFrom: trimmed, without "Bearer "', () => {
  assert.equal(tokenFrom('  Bearer abc.def.ghi \n'), 'abc.def.ghi');
  assert.equal(tokenFrom('bearer   abc'), 'abc');
  assert.equal(tokenFrom('abc'), 'abc');
  assert.equal(tokenFrom(null), '');
  assert.equal(tokenFrom(undefined), '');
});

test('isExpired: exp in seconds, compared with now in milliseconds', () => {
  assert.equal(isExpired({ exp: 100 }, 100_001), true);
  assert.equal(isExpired({ exp: 100 }, 100_000), false);
  assert.equal(isExpired({ exp: 100 }, 99_000), false);
  assert.equal(isExpired({}, Date.now()), false);
  assert.equal(isExpired({ exp: 1 }), true);
});

test('challengeReason: the error_description of WWW-Authenticate', () => {
  assert.equal(challengeReason('Bearer error="invalid_token", error_description="Jwt expired at 2024-01-01T00:00:00Z", error_uri="x"'),
    'Jwt expired at 2024-01-01T00:00:00Z');
  assert.equal(challengeReason('Bearer error_description=""'), '');
  assert.equal(challengeReason('Bearer'), null);
  assert.equal(challengeReason(null), null);
});

test('identity: name, else subject; roles when a list', () => {
  assert.deepEqual(identity({ name: 'Ana', sub: 'u1', roles: ['admin', 'viewer'] }), { user: 'Ana', roles: ['admin', 'viewer'] });
  assert.deepEqual(identity({ sub: 'u1', roles: 'admin' }), { user: 'u1', roles: [] });
  assert.deepEqual(identity({}), { user: 'signed in', roles: [] });
});
