// Reads an import document locally, before anything is sent: its format version and per-table row counts.
// Small files are parsed whole; big ones are not loaded into memory: the head gives the metadata, the
// `counts` object at the end (written by the export) the row counts, and without it a streaming scan
// counts the rows of every table.

export const SUPPORTED_VERSION = '2.0';
export const DEFAULT_SMALL_LIMIT = 32 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 256 * 1024;
const META_KEYS = ['version', 'exportDate', 'server', 'project', 'database'];

/**
 * @returns {Promise<{name, size, version, exportDate, server, project, database,
 *   tables: Array<{table, rows}>|null, source: 'parsed'|'counts'|'scanned'|null, warnings: string[], error: string|null}>}
 */
export async function inspect(file, { knownTables = null, smallLimit = DEFAULT_SMALL_LIMIT, onProgress = () => {} } = {}) {
  const report = { name: file.name, size: file.size, version: null, tables: null, source: null, warnings: [], error: null };
  if (file.size === 0) {
    report.error = 'The file is empty.';
    return report;
  }
  if (file.size <= smallLimit) {
    await inspectWhole(file, report);
  } else {
    await inspectBig(file, report, onProgress);
  }
  if (report.error) return report;
  if (report.version === null || report.version === undefined) {
    report.warnings.push('The document has no "version"; this server reads version 2.0 exports.');
  } else if (String(report.version) !== SUPPORTED_VERSION) {
    report.warnings.push(`The document is version ${report.version}; this server reads version ${SUPPORTED_VERSION}.`);
  }
  if (report.tables === null) {
    report.warnings.push('The document has no "data" object with the tables.');
  } else if (knownTables && knownTables.length > 0) {
    const unknown = report.tables.map((t) => t.table).filter((t) => !knownTables.includes(t));
    if (unknown.length > 0) report.warnings.push(`Tables not in the database: ${unknown.join(', ')}.`);
  }
  return report;
}

async function inspectWhole(file, report) {
  const text = await file.text();
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    report.error = `This file is not valid JSON (${e.message}).`;
    return;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    report.error = 'This file is not an export document (it must be a JSON object).';
    return;
  }
  for (const key of META_KEYS) if (typeof doc[key] === 'string' || typeof doc[key] === 'number') report[key] = doc[key];
  if (doc.data && typeof doc.data === 'object' && !Array.isArray(doc.data)) {
    report.source = 'parsed';
    report.tables = Object.entries(doc.data).map(([table, rows]) => ({ table, rows: Array.isArray(rows) ? rows.length : null }));
    const notArrays = report.tables.filter((t) => t.rows === null).map((t) => t.table);
    if (notArrays.length) report.warnings.push(`Not a list of rows: ${notArrays.join(', ')}.`);
    if (doc.counts && typeof doc.counts === 'object') {
      const differ = report.tables.filter((t) => t.rows !== null && doc.counts[t.table] !== undefined && Number(doc.counts[t.table]) !== t.rows);
      if (differ.length) report.warnings.push(`The "counts" do not match the rows of: ${differ.map((t) => t.table).join(', ')}.`);
    }
  }
}

async function inspectBig(file, report, onProgress) {
  const head = await file.slice(0, HEAD_BYTES).text();
  if (!/^\s*\{/.test(head)) {
    report.error = 'This file is not an export document (it must be a JSON object).';
    return;
  }
  const dataAt = head.indexOf('"data"');
  const meta = dataAt < 0 ? head : head.slice(0, dataAt);
  for (const key of META_KEYS) {
    const m = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(meta);
    if (m) report[key] = m[1];
  }
  const counts = await tailCounts(file);
  if (counts) {
    report.source = 'counts';
    report.tables = Object.entries(counts).map(([table, rows]) => ({ table, rows: Number(rows) }));
    return;
  }
  const scanned = await scan(file, onProgress);
  if (scanned.error) {
    report.error = scanned.error;
    return;
  }
  for (const key of META_KEYS) if (scanned.meta[key] !== undefined) report[key] = scanned.meta[key];
  report.source = 'scanned';
  report.tables = scanned.hasData ? Array.from(scanned.counts, ([table, rows]) => ({ table, rows })) : null;
}

/** The `"counts": {...}` object near the end of the file, or null. */
async function tailCounts(file) {
  const start = Math.max(0, file.size - TAIL_BYTES);
  const tail = await file.slice(start).text();
  const at = tail.lastIndexOf('"counts"');
  if (at < 0) return null;
  const open = tail.indexOf('{', at);
  const close = open < 0 ? -1 : tail.indexOf('}', open);
  if (open < 0 || close < 0) return null;
  try {
    const counts = JSON.parse(tail.slice(open, close + 1));
    return counts && typeof counts === 'object' && Object.values(counts).every((n) => Number.isFinite(Number(n))) ? counts : null;
  } catch {
    return null;
  }
}

/**
 * Counts the elements of every array under the top-level "data" object without parsing the values, on the
 * raw bytes (JSON's structural characters are ASCII and never occur inside a multi-byte UTF-8 sequence).
 */
export async function scan(file, onProgress = () => {}) {
  const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, COMMA = 0x2c, COLON = 0x3a;
  const decoder = new TextDecoder();
  const counts = new Map();
  const meta = {};
  const stack = []; // {object: bool, key, expectKey, awaiting, table}
  let inString = false;
  let escaped = false;
  let capture = null; // bytes of a string being kept (keys near the top, top-level metadata values)
  let captureIsKey = false;
  let hasData = false;
  let read = 0;
  let lastReport = 0;

  const valueStarts = () => {
    const top = stack[stack.length - 1];
    if (top && !top.object && top.awaiting) {
      top.awaiting = false;
      if (top.table !== null) counts.set(top.table, counts.get(top.table) + 1);
    }
  };

  const reader = file.stream().getReader();
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) break;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inString) {
        if (escaped) {
          escaped = false;
          if (capture) capture.push(b);
        } else if (b === BACKSLASH) {
          escaped = true;
          if (capture) capture.push(b);
        } else if (b === QUOTE) {
          inString = false;
          if (capture) {
            let text;
            try {
              text = JSON.parse(`"${decoder.decode(Uint8Array.from(capture))}"`);
            } catch {
              text = decoder.decode(Uint8Array.from(capture));
            }
            const top = stack[stack.length - 1];
            if (captureIsKey) top.key = text;
            else if (stack.length === 1 && META_KEYS.includes(top.key)) meta[top.key] = text;
            capture = null;
          }
        } else if (capture && capture.length < 1024) {
          capture.push(b);
        }
        continue;
      }
      switch (b) {
        case QUOTE: {
          const top = stack[stack.length - 1];
          captureIsKey = !!(top && top.object && top.expectKey);
          if (!captureIsKey) valueStarts();
          const keep = captureIsKey ? stack.length <= 2 : stack.length === 1 && META_KEYS.includes(top.key);
          capture = keep ? [] : null;
          inString = true;
          break;
        }
        case LBRACE:
        case LBRACKET: {
          valueStarts();
          const parent = stack[stack.length - 1];
          let table = null;
          if (b === LBRACKET && stack.length === 2 && stack[0].key === 'data' && parent.object) {
            table = parent.key;
            if (!counts.has(table)) counts.set(table, 0);
          }
          if (b === LBRACE && stack.length === 1 && parent.key === 'data') hasData = true;
          stack.push({ object: b === LBRACE, key: null, expectKey: b === LBRACE, awaiting: b === LBRACKET, table });
          break;
        }
        case RBRACE:
        case RBRACKET:
          stack.pop();
          break;
        case COMMA: {
          const top = stack[stack.length - 1];
          if (top && top.object) top.expectKey = true;
          else if (top) top.awaiting = true;
          break;
        }
        case COLON: {
          const top = stack[stack.length - 1];
          if (top && top.object) top.expectKey = false;
          break;
        }
        case 0x20: case 0x09: case 0x0a: case 0x0d:
          break;
        default:
          if (stack.length === 0) return { error: 'This file is not an export document (it must be a JSON object).', counts, meta, hasData };
          valueStarts();
      }
    }
    read += chunk.length;
    if (read - lastReport > 4 * 1024 * 1024) {
      lastReport = read;
      onProgress(read / file.size);
      await new Promise((r) => setTimeout(r, 0)); // let the page paint
    }
  }
  onProgress(1);
  if (inString || stack.length > 0) return { error: 'This file is not valid JSON (it ends in the middle of the document).', counts, meta, hasData };
  return { error: null, counts, meta, hasData };
}
