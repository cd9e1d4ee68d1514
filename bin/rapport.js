#!/usr/bin/env node
// Tiny launcher: everything lives in the compiled CLI (npm install runs `prepare`, which builds dist/).
import('../dist/cli/main.js').then((m) => m.main(process.argv));
