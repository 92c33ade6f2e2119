// The gateway's JSON API: the Authorization header on every call, errors as readable ApiErrors.

/** An error answer of the API ({success:false, result:{code, message, info}}) or of the transport. */
export class ApiError extends Error {
  constructor({ status, code, message, info }) {
    super(message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code ?? status;
    this.info = info || {};
  }
}

/** Builds an ApiError from a parsed body (the envelope, when the server sent one). */
export function errorFrom(status, statusText, body) {
  const result = body && typeof body === 'object' && body.result && typeof body.result === 'object' ? body.result : null;
  if (result && (result.message || result.code)) {
    return new ApiError({ status, code: result.code, message: result.message, info: result.info });
  }
  const fallback = {
    400: 'Bad request', 401: 'Permission denied', 403: 'Forbidden', 404: 'Not found', 413: 'The document is too large',
    422: 'Unprocessable entity', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable',
  };
  return new ApiError({ status, code: status, message: fallback[status] || statusText || `HTTP ${status}`, info: {} });
}

/** Reads an error response (JSON envelope or anything else) into an ApiError. */
export async function readError(response) {
  let body = null;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return errorFrom(response.status, response.statusText, body);
}

/** A message a person can read: the API's message, the details it gave, and the status/code. */
export function describe(error) {
  if (error instanceof ApiError) {
    const message = String(error.message || 'The request failed');
    const info = error.info || {};
    const details = [];
    const mention = (label, value) => {
      if (value === null || value === undefined || value === '') return;
      const text = `${label}${value}`;
      if (!message.includes(String(value))) details.push(text);
    };
    mention('', info.reason);
    mention('table ', info.table);
    mention('column ', info.column);
    if (info.row !== undefined && info.row !== null) details.push(`row index ${info.row}`);
    mention('parameter ', info.parameter);
    mention('process ', info.process);
    if (Array.isArray(info.supported) && !message.includes('supported')) details.push(`supported: ${info.supported.join(', ')}`);
    const where = error.status === 0 ? '' : ` (HTTP ${error.status}${error.code !== error.status ? `, code ${error.code}` : ''})`;
    return `${message}${details.length ? ` — ${details.join('; ')}` : ''}${where}`;
  }
  if (error && error.name === 'AbortError') return 'The request was cancelled.';
  if (error instanceof TypeError) return 'The gateway could not be reached (network error). Is it running?';
  return (error && error.message) || String(error);
}

/**
 * A client bound to the current token. onUnauthorized(error) is called on any 401 (expired or rejected
 * token) before the error is thrown.
 */
export function createApi({ token, onUnauthorized }) {
  async function call(method, path, body, { headers = {}, signal } = {}) {
    const init = {
      method,
      headers: { Accept: 'application/json', ...headers },
      cache: 'no-store',
      signal,
    };
    const current = token();
    if (current) init.headers.Authorization = `Bearer ${current}`;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) {
      const error = await readError(response);
      if (response.status === 401 && onUnauthorized) onUnauthorized(error);
      throw error;
    }
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
  return {
    get: (path, options) => call('GET', path, undefined, options),
    post: (path, body, options) => call('POST', path, body ?? {}, options),
    raw: call,
  };
}
