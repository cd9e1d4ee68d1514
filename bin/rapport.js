#!/usr/bin/env node
// Tiny launcher: everything lives in the compiled CLI (npm install runs `prepare`, which builds dist/).
// Until the CLI has installed its own handlers, a signal still ends with the documented code 130.
const early = () => process.exit(130);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, early);
import('../dist/cli/main.js').then((m) => {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeListener(sig, early);
  return m.main(process.argv);
});
