/**
 * A byte stream that hands out its bytes a few at a time with a pause between chunks: the body of a
 * slow answer (one byte per tick) or of a huge one (large chunks, no pause). It stops, and frees its
 * timer, when its reader cancels it or when the request it answers is aborted.
 *
 * @module
 */

/** Options of {@link pacedStream}. */
export interface PacedStreamOptions {
  /** Bytes per chunk (at least 1). */
  readonly chunkBytes: number;
  /** Milliseconds to wait before each chunk; 0 hands out chunks as fast as they are read. */
  readonly intervalMs: number;
  /**
   * The signal of the request being answered. When it aborts, the stream errors with an
   * `AbortError` and schedules nothing more, whether or not anyone still reads it: an in-process
   * fetch (MSW) does not cancel a response body when its request is aborted, so the body must.
   */
  readonly signal?: AbortSignal;
}

/** The error a paced stream ends with when its request is aborted. */
function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('the request was aborted', 'AbortError');
}

/**
 * A stream of `bytes`, `chunkBytes` at a time, each chunk `intervalMs` after the previous one was
 * asked for. At most one timer is pending at any time (the stream only works when read), and none
 * after the stream is cancelled, aborted or finished.
 */
export function pacedStream(bytes: Uint8Array, options: PacedStreamOptions): ReadableStream<Uint8Array> {
  const chunkBytes = Math.max(1, Math.floor(options.chunkBytes));
  const { signal } = options;
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let stopped = false;

  const stop = (): void => {
    stopped = true;
    clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
    wake?.();
    wake = undefined;
  };
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
  function onAbort(): void {
    if (stopped) return;
    stop();
    try {
      controllerRef?.error(abortError(signal!));
    } catch {
      // Already closed or errored: nothing left to tell the reader.
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        if (signal?.aborted) {
          stopped = true;
          controller.error(abortError(signal));
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        if (stopped) return;
        if (options.intervalMs > 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, options.intervalMs);
          });
          wake = undefined;
          timer = undefined;
          if (stopped) return;
        }
        const end = Math.min(offset + chunkBytes, bytes.byteLength);
        controller.enqueue(bytes.slice(offset, end));
        offset = end;
        if (offset >= bytes.byteLength) {
          stop();
          controller.close();
        }
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: 0 },
  );
}
