// Keeps a server stream open: calls `open` again after the stream ends or fails, waiting 1 s, 2 s,
// 4 s … up to 30 s between tries (back to 1 s once a message arrives), until stopped. A sign-in
// problem (UNAUTHENTICATED) is not retried.
import { isAborted, isSignInProblem } from "./api";

export type StreamStatus = "connecting" | "live" | "retrying";

export function keepStreaming<T>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  onMessage: (message: T) => void,
  onStatus: (status: StreamStatus, error?: unknown) => void,
): () => void {
  const abort = new AbortController();
  (async () => {
    let delayMs = 1000;
    while (!abort.signal.aborted) {
      onStatus("connecting");
      try {
        for await (const message of open(abort.signal)) {
          delayMs = 1000;
          onStatus("live");
          onMessage(message);
        }
      } catch (error) {
        if (abort.signal.aborted || isAborted(error)) return;
        onStatus("retrying", error);
        if (isSignInProblem(error)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 30_000);
    }
  })();
  return () => abort.abort();
}

/** Runs `task` at most once per `intervalMs`; a call in between schedules one more run at the end of it. */
export function throttle(task: () => void, intervalMs: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + intervalMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      task();
    }, wait);
  };
}
