// Sign-in: the pasted (or dev) token, who is signed in and until when, sign-out and an expired token.
// The token lives in sessionStorage (this tab only), never in a URL.

import { $, fill, h, show } from './dom.js';
import { describe, readError } from './api.js';
import { emit, feed, on, projectPath, session, state } from './state.js';
import { busy, showError } from './ui.js';
import * as fmt from './format.js';

/** The claims of a JWT (not verified: the gateway does that); throws an Error a person can read. */
export function parseJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1] || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new Error('That is not a JWT: a token is three base64url parts separated by dots (header.payload.signature).');
  }
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    if (!claims || typeof claims !== 'object') throw new Error();
    return claims;
  } catch {
    throw new Error('That is not a JWT: its payload is not a JSON object.');
  }
}

/** The token out of what was pasted: trimmed, without a leading "Bearer ". */
export function tokenFrom(raw) {
  return String(raw || '').trim().replace(/^Bearer\s+/i, '');
}

export function isExpired(claims, nowMs = Date.now()) {
  return Boolean(claims.exp && claims.exp * 1000 < nowMs);
}

/** The error_description of a WWW-Authenticate challenge, or null. */
export function challengeReason(challenge) {
  const reason = /error_description="([^"]*)"/.exec(challenge || '');
  return reason ? reason[1] : null;
}

/** Who the claims name and their roles, for the top bar. */
export function identity(claims) {
  return { user: claims.name || claims.sub || 'signed in', roles: Array.isArray(claims.roles) ? claims.roles : [] };
}

export async function signIn(raw) {
  const token = tokenFrom(raw);
  showError('#sign-in-error', null);
  if (!token) {
    showError('#sign-in-error', 'Paste a token first.');
    return false;
  }
  let claims;
  try {
    claims = parseJwt(token);
  } catch (e) {
    showError('#sign-in-error', e.message);
    return false;
  }
  if (isExpired(claims)) {
    showError('#sign-in-error', `This token expired on ${fmt.epoch(claims.exp)}. Get a new one.`);
    return false;
  }
  try {
    // the gateway decides: 401 means it does not accept this token (signature, issuer, audience…)
    const response = await fetch(`${projectPath()}/init`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, cache: 'no-store',
    });
    if (response.status === 401) {
      const reason = challengeReason(response.headers.get('WWW-Authenticate'));
      const error = await readError(response);
      showError('#sign-in-error', `The gateway rejected this token: ${reason !== null ? `${reason}. ` : ''}${describe(error)}`);
      return false;
    }
  } catch (e) {
    showError('#sign-in-error', describe(e));
    return false;
  }
  session.token = token;
  $('#token-input').value = '';
  startDashboard();
  return true;
}

async function probeDevSignIn() {
  const button = $('#dev-sign-in');
  try {
    const response = await fetch('/dev/sign-in', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    show(button, response.ok);
  } catch {
    show(button, false);
  }
}

async function devSignIn() {
  const button = $('#dev-sign-in');
  await busy(button, async () => {
    try {
      const response = await fetch('/dev/sign-in', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (!response.ok) throw await readError(response);
      const body = await response.json();
      await signIn(body?.result?.token);
    } catch (e) {
      showError('#sign-in-error', e, 'Dev sign-in failed: ');
    }
  });
}

export function showSignIn(message, isError = true) {
  show($('#booting'), false);
  show($('#dashboard'), false);
  show($('#session'), false);
  show($('#sign-in'), true);
  showError('#sign-in-error', null);
  $('#sign-in-note').textContent = '';
  if (message && isError) showError('#sign-in-error', message);
  else if (message) $('#sign-in-note').textContent = message;
  probeDevSignIn();
  $('#token-input').focus();
}

/** Signs out: forgets the token, the cursor and the remembered jobs of this tab. */
export function signOut(message, isError = true) {
  feed.stop();
  session.token = '';
  session.cursor = null;
  session.jobs = [];
  state.jobs.clear();
  state.notes.clear();
  state.pendingImport = null;
  state.previousTables = null;
  state.previousTotal = null;
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  emit('signed-out');
  showSignIn(message, isError);
}

function expired(error) {
  if (!session.token) return;
  signOut(`You were signed out: ${describe(error)}. Sign in again.`);
}

/** Shows the dashboard for the stored token (or signs out when it is no JWT or has expired). */
export function startDashboard() {
  let claims = {};
  try {
    claims = parseJwt(session.token);
  } catch {
    signOut('The stored token is not a JWT.');
    return;
  }
  if (isExpired(claims)) {
    signOut(`Your token expired on ${fmt.epoch(claims.exp)}. Sign in again.`);
    return;
  }
  const { user, roles } = identity(claims);
  fill($('#whoami'),
    h('span', { class: 'user', text: user }),
    roles.length ? h('span', { class: 'muted', text: ` (${roles.join(', ')})` }) : null,
    claims.exp ? h('span', { class: 'muted expiry', title: `The token expires ${fmt.epoch(claims.exp)}`, text: ` · until ${fmt.when(claims.exp)}` }) : null);
  show($('#booting'), false);
  show($('#sign-in'), false);
  show($('#session'), true);
  show($('#dashboard'), true);
  emit('signed-in');
}

export function wireSignIn() {
  $('#token-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy($('#token-submit'), () => signIn($('#token-input').value));
  });
  $('#dev-sign-in').addEventListener('click', devSignIn);
  $('#sign-out').addEventListener('click', () => signOut('Signed out. The token was removed from this tab.', false));
  on('unauthorized', expired);
}
