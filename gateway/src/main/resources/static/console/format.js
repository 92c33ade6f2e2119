// Number, size and time formatting for the console.

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function int(n) {
  return n === null || n === undefined || Number.isNaN(Number(n)) ? '–' : integer.format(Number(n));
}

export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? integer.format(value) : decimal.format(value)} ${units[unit]}`;
}

/** Epoch seconds (float, as the API sends them) → local date and time. */
export function epoch(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  return dateTime(new Date(Number(seconds) * 1000));
}

export function iso(text) {
  if (!text) return '–';
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? String(text) : dateTime(d);
}

export function dateTime(d) {
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function time(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  return new Date(Number(seconds) * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function percent(fraction) {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

export function plural(n, one, many = `${one}s`) {
  return `${int(n)} ${Number(n) === 1 ? one : many}`;
}

/** Epoch seconds → the time alone when it is today, else a short date and the time. */
export function when(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const d = new Date(Number(seconds) * 1000);
  const today = new Date();
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (d.toDateString() === today.toDateString()) return `today ${time}`;
  return `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
}
