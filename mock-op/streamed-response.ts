/**
 * Responses whose body must reach the client as it is produced (a slow trickle, a huge body), not
 * buffered first. The in-process OP (MSW) streams every body anyway; the real server
 * (`server.ts`) buffers ordinary responses to send a `Content-Length`, and streams those marked here.
 *
 * @module
 */

const STREAMED = new WeakSet<Response>();

/** A response whose body the real server writes chunk by chunk, flushing each as it comes. */
export function streamedResponse(body: ReadableStream<Uint8Array>, init: ResponseInit = {}): Response {
  const response = new Response(body, init);
  STREAMED.add(response);
  return response;
}

/** Whether `response` was made by {@link streamedResponse}. */
export function isStreamedResponse(response: Response): boolean {
  return STREAMED.has(response);
}
