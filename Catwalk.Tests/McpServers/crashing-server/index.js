#!/usr/bin/env node
// Fails the way a misconfigured MCP server does: explains itself on stderr, then exits non-zero.
console.error("catwalk-test-crashing-server starting");
console.error("fatal: CRASHING_SERVER_REASON is " + (process.env.CRASHING_SERVER_REASON ?? "unset"));
process.exit(3);
