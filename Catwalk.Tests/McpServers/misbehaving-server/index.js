#!/usr/bin/env node
// A stdio "MCP server" that misbehaves on purpose, for the local runtime's tests (offline: Node's standard library only).
//   default:                          explains itself on stderr, then exits with code 3 (a crash loop);
//   CATWALK_TEST_SERVER_MODE=silent:  starts, then never answers initialize (a server that is not ready);
//   CATWALK_TEST_SERVER_MODE=http:    starts an HTTP server (as servers do without `--stdio`), says so on stdout,
//                                     and never speaks MCP on stdio;
//   CATWALK_TEST_SERVER_MODE=chatty:  writes a non-JSON banner on stdout naming its own folder, then exits with code 1;
//   CATWALK_TEST_SERVER_MODE=crash-after-initialize: answers initialize, then dies half a second later with code 4
//                                     (a server that runs and then crashes, again on every restart).
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
} else if (mode === "crash-after-initialize") {
  const lines = require("node:readline").createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const message = JSON.parse(line);
    if (message.method === "initialize") {
      process.stdout.write(JSON.stringify({
        jsonrpc: "2.0",
        id: message.id,
        result: { protocolVersion: message.params.protocolVersion, capabilities: {}, serverInfo: { name: "crashing", version: "1.0.0" } },
      }) + "\n");
      console.error("answered initialize; crashing soon");
      setTimeout(() => {
        console.error("fatal: CRASHING_SERVER_REASON is " + (process.env.CRASHING_SERVER_REASON ?? "unset"));
        process.exit(4);
      }, 500);
    }
  });
} else {
  console.error("fatal: CRASHING_SERVER_REASON is " + (process.env.CRASHING_SERVER_REASON ?? "unset"));
  process.exit(3);
}
