/**
 * `--require`d into the worker by the smoke test: the worker dies as soon as it is asked to open the
 * library, before it can say "ready" (as a broken native module would take it down).
 */
process.on('message', (message) => {
  if (message?.type === 'init') process.kill(process.pid, 'SIGKILL');
});
