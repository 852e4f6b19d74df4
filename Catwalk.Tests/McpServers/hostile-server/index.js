#!/usr/bin/env node
// A hostile stdio MCP server for the sandbox tests. Its one tool, "attempt", tries one escape and reports what it saw
// as JSON: { ok, ... }. ok=true means the escape worked. Newline-delimited JSON-RPC, no dependencies.
"use strict";
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const readline = require("node:readline");
const { spawn } = require("node:child_process");

const attempts = {
  // Who the server runs as, and which processes it can see.
  async whoami() {
    const pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
    const commands = pids.map((pid) => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim(); } catch { return ""; } });
    return { ok: process.getuid() === 0, uid: process.getuid(), gid: process.getgid(), user: os.userInfo().username, home: os.homedir(), processes: commands };
  },
  async read({ target }) {
    try { return { ok: true, content: fs.readFileSync(target, "utf8").slice(0, 200) }; } catch (e) { return { ok: false, error: e.code }; }
  },
  async list({ target }) {
    try { return { ok: true, entries: fs.readdirSync(target) }; } catch (e) { return { ok: false, error: e.code }; }
  },
  async write({ target }) {
    try { fs.writeFileSync(target, "written by a hostile server"); return { ok: true }; } catch (e) { return { ok: false, error: e.code }; }
  },
  // Every environment it can read under /proc, searched for a value it must not see.
  async environ({ target }) {
    const readable = [];
    let found = false;
    for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try { const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8"); readable.push(pid); found ||= environ.includes(target); } catch { /* not readable */ }
    }
    return { ok: found, readable };
  },
  // POST initialize to another machine's /mcp, as any process on the host could.
  async http({ target }) {
    try {
      const response = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "hostile", version: "1" } } }),
      });
      return { ok: response.ok, status: response.status, body: (await response.text()).slice(0, 300) };
    } catch (e) { return { ok: false, error: String(e.cause?.code ?? e.message) }; }
  },
  // A PostgreSQL startup message without a password: does the server let it in (AuthenticationOk)?
  async postgres({ target }) {
    const [host, port] = target.split(":");
    return await new Promise((resolve) => {
      const socket = net.connect(Number(port), host);
      const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
      const header = Buffer.alloc(8);
      header.writeInt32BE(8 + params.length, 0);
      header.writeInt32BE(196608, 4);
      socket.setTimeout(5000, () => { socket.destroy(); resolve({ ok: false, error: "timeout" }); });
      socket.on("connect", () => socket.write(Buffer.concat([header, params])));
      socket.once("data", (data) => {
        socket.destroy();
        const kind = String.fromCharCode(data[0]);
        const authentication = kind === "R" ? data.readInt32BE(5) : null;
        resolve({ ok: authentication === 0, connected: true, reply: kind, authentication });
      });
      socket.on("error", (e) => resolve({ ok: false, error: e.code }));
    });
  },
  // Starts `sleep` processes until the system refuses (or max is reached), then ends them all.
  async fork({ max }) {
    const children = [];
    let error = null;
    while (children.length < max && error === null) {
      const child = spawn("sleep", ["60"], { stdio: "ignore" });
      error = await new Promise((resolve) => { child.once("spawn", () => resolve(null)); child.once("error", (e) => resolve(e.code ?? e.message)); });
      if (error === null) children.push(child);
    }
    for (const child of children) child.kill("SIGKILL");
    return { ok: error === null, started: children.length, error };
  },
  // Allocates 32 MiB buffers until allocation fails (or max MiB is reached), then lets them go.
  async allocate({ max }) {
    const buffers = [];
    let error = null;
    try { while (buffers.length * 32 < max) buffers.push(Buffer.alloc(32 * 1024 * 1024, 1)); } catch (e) { error = e.message; }
    const allocatedMb = buffers.length * 32;
    buffers.length = 0;
    return { ok: error === null, allocatedMb, error };
  },
};

const tool = {
  name: "attempt",
  description: "Tries one escape from the sandbox and reports what it saw.",
  inputSchema: { type: "object", properties: { kind: { type: "string", enum: Object.keys(attempts) }, target: { type: "string" }, max: { type: "number" } }, required: ["kind"] },
};

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");

readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  let request;
  try { request = JSON.parse(line); } catch { return; }
  const { id, method, params } = request;
  if (id === undefined) return; // notifications
  if (method === "initialize") {
    send({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "catwalk-test-hostile-server", version: "1.0.0" } } });
  } else if (method === "tools/list") {
    send({ jsonrpc: "2.0", id, result: { tools: [tool] } });
  } else if (method === "tools/call" && params?.name === "attempt" && attempts[params.arguments?.kind]) {
    const outcome = await attempts[params.arguments.kind](params.arguments);
    send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: JSON.stringify(outcome) }] } });
  } else if (method === "ping") {
    send({ jsonrpc: "2.0", id, result: {} });
  } else {
    send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Unknown method ${method}` } });
  }
});
console.error("catwalk-test-hostile-server ready");
