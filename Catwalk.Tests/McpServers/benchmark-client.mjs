// An MCP client outside Catwalk's process, for the forwarding benchmark: the official TypeScript SDK client and raw
// keep-alive HTTP, measuring `echo` tools/call round trips. Prints one JSON object on stdout.
//
// It measures two endpoints (forwarded and direct) in one process, alternating between them in small blocks
// (sequential calls) or one-second windows (throughput), so that whatever else the machine does in the meantime hits
// both alike: <targets-json> is [{"url":..., "headers":{...}}, ...]; the answer holds one figure per target, in order.
//
//   node benchmark-client.mjs sdk-latency-pair <targets-json> <warm-up> <calls per target>
//   node benchmark-client.mjs raw-latency-pair <targets-json> <warm-up> <calls per target>
//   node benchmark-client.mjs sdk-throughput-pair <targets-json> <clients> <seconds per target>
import http from "node:http";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, targetsJson, first, second] = process.argv.slice(2);
const targets = JSON.parse(targetsJson || "[]");
const echo = { name: "echo", arguments: { message: "benchmark" } };

async function connectSdk(target) {
  const client = new Client({ name: "catwalk-benchmark", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers: target.headers } }));
  return client;
}

const Block = 10;

async function timed(call) {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

// Calls each target in turn, Block calls at a time, until each had `calls`.
async function alternate(calls, callers) {
  const latencies = callers.map(() => []);
  for (let done = 0; done < calls; done += Block) {
    for (let t = 0; t < callers.length; t++) {
      for (let i = done; i < Math.min(done + Block, calls); i++) latencies[t].push(await timed(callers[t]));
    }
  }
  return latencies;
}

async function sdkLatencyPair(warmUp, calls) {
  const clients = await Promise.all(targets.map(target => connectSdk(target)));
  const callers = clients.map(client => () => client.callTool(echo));
  await alternate(warmUp, callers);
  const latencies = await alternate(calls, callers);
  await Promise.all(clients.map(client => client.close()));
  return { latencies };
}

async function rawLatencyPair(warmUp, calls) {
  const sessions = await Promise.all(targets.map(async target => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    return { agent, target, id: await openRawSession(target, agent) };
  }));
  let id = 1;
  const callers = sessions.map(session => async () => {
    const { text } = await post({ jsonrpc: "2.0", id: id++, method: "tools/call", params: echo }, session.id, session.target, session.agent);
    if (!text.includes("benchmark")) throw new Error(`Unexpected answer: ${text}`);
  });
  await alternate(warmUp, callers);
  const latencies = await alternate(calls, callers);
  sessions.forEach(session => session.agent.destroy());
  return { latencies };
}

// Each target's clients run alone in one-second windows, the targets taking turns, until each had `seconds` of them.
async function sdkThroughputPair(clients, seconds) {
  const groups = await Promise.all(targets.map(target => Promise.all(Array.from({ length: clients }, () => connectSdk(target)))));
  const calls = targets.map(() => 0);
  const elapsed = targets.map(() => 0);
  for (let window = 0; window < seconds; window++) {
    for (let t = 0; t < groups.length; t++) {
      const start = performance.now();
      const deadline = start + 1000;
      const counts = await Promise.all(groups[t].map(async client => {
        let n = 0;
        while (performance.now() < deadline) {
          await client.callTool(echo);
          n++;
        }
        return n;
      }));
      calls[t] += counts.reduce((a, b) => a + b, 0);
      elapsed[t] += (performance.now() - start) / 1000;
    }
  }
  await Promise.all(groups.flat().map(client => client.close()));
  return { calls, seconds: elapsed };
}

// Raw HTTP: one keep-alive connection per target, one session, JSON-RPC bodies written by hand, SSE answers read whole.

function post(body, sessionId, target, via) {
  return new Promise((resolve, reject) => {
    const request = http.request(target.url, {
      method: "POST",
      agent: via,
      headers: {
        ...target.headers,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-06-18",
        ...(sessionId ? { "Mcp-Session-Id": sessionId } : {}),
      },
    }, response => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", chunk => (text += chunk));
      response.on("end", () => response.statusCode < 300
        ? resolve({ sessionId: response.headers["mcp-session-id"], text })
        : reject(new Error(`HTTP ${response.statusCode}: ${text}`)));
    });
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

async function openRawSession(target, via) {
  const { sessionId } = await post({
    jsonrpc: "2.0", id: 0, method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "catwalk-benchmark-raw", version: "1" } },
  }, undefined, target, via);
  await post({ jsonrpc: "2.0", method: "notifications/initialized" }, sessionId, target, via);
  return sessionId;
}

const modes = { "sdk-latency-pair": sdkLatencyPair, "raw-latency-pair": rawLatencyPair, "sdk-throughput-pair": sdkThroughputPair };
if (!modes[mode]) {
  console.error(`Unknown mode '${mode}'. Use ${Object.keys(modes).join(", ")}.`);
  process.exit(2);
}

try {
  console.log(JSON.stringify(await modes[mode](Number(first), Number(second))));
  process.exit(0);
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exit(1);
}
