// Tiny DOM helpers: every text goes through textContent, never innerHTML (backup names are user input).

/**
 * h('button', {class: 'primary', onclick: fn, 'aria-label': 'Delete'}, 'Delete')
 * Props: class, text, dataset {}, style {}, on<event> functions, booleans (true: present, false/null: absent).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') Object.assign(el.style, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Shows or hides an element (the hidden attribute). */
export function show(el, visible = true) {
  el.hidden = !visible;
  return el;
}

/** A progress bar: determinate when fraction is a number (0..1), indeterminate when null. */
export function progressBar(fraction, label, kind = '') {
  const determinate = typeof fraction === 'number' && Number.isFinite(fraction);
  const percent = determinate ? Math.max(0, Math.min(100, Math.round(fraction * 100))) : null;
  const bar = h('div', {
    class: `bar ${kind} ${determinate ? '' : 'indeterminate'}`.trim(),
    role: 'progressbar',
    'aria-label': label,
    'aria-valuemin': 0,
    'aria-valuemax': 100,
    'aria-valuenow': determinate ? percent : null,
    'aria-valuetext': determinate ? `${percent}%` : 'in progress',
  }, h('span', { class: 'fill', style: determinate ? { width: `${percent}%` } : {} }));
  return bar;
}
