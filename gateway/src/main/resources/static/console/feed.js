// The Sync API's live feed, GET /sync/stream, read with fetch() because EventSource cannot send the
// Authorization header. Resumes from the last cursor (Last-Event-ID and ?cursor=) and reconnects by itself.

import { ApiError, describe, readError } from './api.js';

const SILENCE_LIMIT_MS = 45_000; // the server sends a keep-alive comment every 15 s
const MAX_BACKOFF_MS = 5_000;
const ACCEPTED_AFTER_MS = 1_500;

export class Feed {
  /**
   * @param {object} o
   * @param {() => string} o.token          the current JWT
   * @param {() => number} o.cursor         the last cc cursor seen
   * @param {(event: object) => void} o.onEvent   every `cc` event, in cursor order
   * @param {(state: string, detail?: string) => void} o.onState  connecting | live | reconnecting | stopped
   * @param {(error: ApiError) => void} o.onGone  410: the cursor is older than the feed keeps
   * @param {(error: ApiError) => void} o.onUnauthorized  401 or the token-expired event
   */
  constructor(o) {
    this.o = o;
    this.running = false;
    this.controller = null;
    this.wake = null;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.loop();
  }

  stop() {
    this.running = false;
    if (this.controller) this.controller.abort();
    if (this.wake) this.wake();
    this.o.onState('stopped');
  }

  /** Drops the current connection and connects again at once (e.g. after the cursor was reset). */
  restart() {
    this.abortedOnPurpose = true;
    if (this.controller) this.controller.abort();
    if (this.wake) this.wake();
  }

  async loop() {
    let failures = 0;
    while (this.running) {
      const started = Date.now();
      let delay;
      try {
        if (failures === 0) this.o.onState('connecting');
        await this.connect();
        delay = 300; // the server ended the stream: come back at once
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        if (error instanceof ApiError && error.status === 401) {
          this.running = false;
          this.o.onUnauthorized(error);
          break;
        }
        if (error instanceof ApiError && error.status === 410) {
          this.o.onGone(error);
          delay = 0;
        } else if (error && error.name === 'AbortError' && this.abortedOnPurpose) {
          delay = 0;
        } else {
          if (Date.now() - started > 30_000) failures = 0;
          failures++;
          delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures);
          this.o.onState('reconnecting', `${describe(error)} Retrying in ${Math.round(delay / 1000)} s.`);
        }
      }
      this.abortedOnPurpose = false;
      if (!this.running) break;
      if (delay > 0) await this.sleep(delay);
    }
  }

  sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  async connect() {
    const controller = new AbortController();
    this.controller = controller;
    const cursor = Math.max(0, Math.floor(Number(this.o.cursor()) || 0));
    let watchdog = null;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        this.abortedOnPurpose = true; // silent for too long: a dead connection; reconnect
        controller.abort();
      }, SILENCE_LIMIT_MS);
    };
    arm();
    // The stream sends its headers only with the first event or keep-alive (up to 15 s later), while a
    // refusal (401, 410, 503) comes at once: a request still open after a moment has been accepted.
    const accepted = setTimeout(() => this.o.onState('live'), ACCEPTED_AFTER_MS);
    let response;
    try {
      response = await fetch(`/sync/stream?cursor=${cursor}`, {
        headers: {
          Authorization: `Bearer ${this.o.token()}`,
          Accept: 'text/event-stream',
          'Last-Event-ID': String(cursor),
        },
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch (error) {
      clearTimeout(watchdog);
      throw error;
    } finally {
      clearTimeout(accepted);
    }
    if (!response.ok) {
      clearTimeout(watchdog);
      throw await readError(response);
    }
    this.o.onState('live');

    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser((event) => this.dispatch(event));
    arm();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        parser.push(value);
      }
    } finally {
      clearTimeout(watchdog);
      if (this.controller === controller) this.controller = null;
    }
  }

  dispatch({ event, data }) {
    if (event === 'cc') {
      let parsed;
      try {
        parsed = JSON.parse(data);
      } catch {
        return; // not ours to judge; the next event still counts
      }
      this.o.onEvent(parsed);
    } else if (event === 'token-expired') {
      this.running = false;
      if (this.controller) this.controller.abort();
      this.o.onUnauthorized(new ApiError({ status: 401, code: 401, message: 'Your token has expired', info: {} }));
    }
  }
}

/** Incremental text/event-stream parser (WHATWG HTML, server-sent events). */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
    this.id = null;
  }

  push(text) {
    this.buffer += text;
    let match;
    const newline = /\r\n|\r|\n/;
    while ((match = newline.exec(this.buffer))) {
      // a lone \r at the very end may be the first half of \r\n: wait for more
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) this.onEvent({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      this.reset();
      return;
    }
    if (line.startsWith(':')) return; // comment: keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id') this.id = value;
  }
}
