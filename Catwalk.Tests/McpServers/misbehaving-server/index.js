#!/usr/bin/env node
// A stdio "MCP server" that misbehaves on purpose, for the local runtime's tests (offline: Node's standard library only).
//   default:                          explains itself on stderr, then exits with code 3 (a crash loop);
//   CATWALK_TEST_SERVER_MODE=silent:  starts, then never answers initialize (a server that is not ready);
//   CATWALK_TEST_SERVER_MODE=http:    starts an HTTP server (as servers do without `--stdio`), says so on stdout,
//                                     and never speaks MCP on stdio;
//   CATWALK_TEST_SERVER_MODE=chatty:  writes a non-JSON banner on stdout naming its own folder, then exits with code 1.
const mode = process.env.CATWALK_TEST_SERVER_MODE;
console.error("catwalk-test-misbehaving-server starting");
if (mode === "silent") {
  console.error("listening on stdin, answering nothing");
  process.stdin.resume();
} else if (mode === "http") {
  const server = require("node:http").createServer((_, response) => response.end("hello"));
  server.listen(0, "127.0.0.1", () => console.log("MCP server listening on http://127.0.0.1:" + server.address().port + "/mcp"));
} else if (mode === "chatty") {
  console.log("usage: misbehaving-server --stdio (installed in " + __dirname + ")");
  process.exit(1);
} else {
  console.error("fatal: CRASHING_SERVER_REASON is " + (process.env.CRASHING_SERVER_REASON ?? "unset"));
  process.exit(3);
}
