/**
 * Letting the event loop run during long synchronous work: signal handlers (Ctrl-C, SIGTERM, SIGHUP;
 * src/cli/main.ts) and progress output run only between JavaScript tasks, so a long loop calls the
 * pauser returned here often; it yields (setImmediate) at most every `intervalMs` and is otherwise free.
 */
export function makePauser(intervalMs = 100): () => Promise<void> {
  let last = Date.now();
  return async () => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
}
