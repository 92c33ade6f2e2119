// Page-wide helpers every card uses: notices, busy buttons, error lines, focus and the confirmation dialog.

import { $, fill, h } from './dom.js';
import { describe } from './api.js';

export function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

export function showError(selector, error, prefix = '') {
  const el = $(selector);
  if (!error) {
    el.textContent = '';
    el.hidden = true;
    return;
  }
  el.textContent = prefix + (typeof error === 'string' ? error : describe(error));
  el.hidden = false;
}

export function notify(text, kind = 'info') {
  const box = $('#notices');
  const item = h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null },
    h('span', { class: 'notice-text', text }),
    h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Dismiss message', onclick: () => item.remove() }, '×'));
  box.append(item);
  if (kind !== 'error') setTimeout(() => item.remove(), 6000);
  while (box.children.length > 3) box.firstElementChild.remove();
}

export async function busy(button, work) {
  const was = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = was;
    button.removeAttribute('aria-busy');
  }
}

/** Puts the focus back where it was before a dialog, or on its replacement after a re-render. */
export function refocus(el, fallback) {
  if (el && el.isConnected && !el.disabled) {
    el.focus();
    return;
  }
  if (el && el.dataset && el.dataset.action) {
    const same = document.querySelector(`button[data-action="${el.dataset.action}"][data-version="${el.dataset.version}"]`);
    if (same && !same.disabled) {
      same.focus();
      return;
    }
  }
  if (fallback) fallback.focus();
}

/** The answer function of the confirmation being asked, if one is open. */
let confirmPending = null;

/** A confirmation in a modal dialog; Escape or Cancel answers false. */
export function confirmDialog({ title, body, confirm, danger = false }) {
  const dialog = $('#confirm-dialog');
  const ok = $('#confirm-ok');
  $('#confirm-title').textContent = title;
  fill($('#confirm-body'), body);
  ok.textContent = confirm;
  ok.className = danger ? 'danger' : 'primary';
  const opener = document.activeElement;
  const form = dialog.querySelector('form');
  if (confirmPending) confirmPending(false); // a newer question replaces one left unanswered
  dialog.returnValue = '';
  return new Promise((resolve) => {
    // Answered by the button or Escape as they happen, never by a later 'close' event alone: the browser
    // delivers 'close' as a task, and input is served first, so the close of an earlier opening can arrive
    // after this one began (Escape, then Enter at once) and would answer this question with "no".
    const answer = (yes) => {
      if (confirmPending !== answer) return;
      confirmPending = null;
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClose);
      resolve(yes);
      setTimeout(() => refocus(opener, $('#main')), 0); // once the dialog has closed
    };
    const onSubmit = (event) => answer(Boolean(event.submitter) && event.submitter.value === 'confirm');
    const onCancel = () => answer(false);
    const onClose = () => {
      if (!dialog.open) answer(dialog.returnValue === 'confirm'); // closed some other way
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClose);
    confirmPending = answer;
    dialog.showModal();
    (danger ? $('#confirm-cancel') : ok).focus();
  });
}
