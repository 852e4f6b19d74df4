#!/usr/bin/env node
// A stdio "MCP server" that misbehaves on purpose, for the local runtime's tests.
//   default:                          explains itself on stderr, then exits with code 3 (a crash loop);
//   CATWALK_TEST_SERVER_MODE=silent:  starts, then never answers initialize (a server that is not ready).
console.error("catwalk-test-misbehaving-server starting");
if (process.env.CATWALK_TEST_SERVER_MODE === "silent") {
  console.error("listening on stdin, answering nothing");
  process.stdin.resume();
} else {
  console.error("fatal: CRASHING_SERVER_REASON is " + (process.env.CRASHING_SERVER_REASON ?? "unset"));
  process.exit(3);
}
