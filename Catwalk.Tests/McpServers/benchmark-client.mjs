// An MCP client outside Catwalk's process, for the forwarding benchmark: the official TypeScript SDK client and raw
// keep-alive HTTP, measuring `echo` tools/call round trips against one endpoint. Prints one JSON object on stdout.
//
//   node benchmark-client.mjs sdk-latency <url> <headers-json> <warm-up> <calls>
//   node benchmark-client.mjs raw-latency <url> <headers-json> <warm-up> <calls>
//   node benchmark-client.mjs sdk-throughput <url> <headers-json> <clients> <seconds>
import http from "node:http";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, url, headersJson, first, second] = process.argv.slice(2);
const headers = JSON.parse(headersJson || "{}");
const echo = { name: "echo", arguments: { message: "benchmark" } };

async function connectSdk() {
  const client = new Client({ name: "catwalk-benchmark", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

async function sdkLatency(warmUp, calls) {
  const client = await connectSdk();
  for (let i = 0; i < warmUp; i++) await client.callTool(echo);
  const latencies = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await client.callTool(echo);
    latencies.push(performance.now() - start);
  }
  await client.close();
  return { latencies };
}

async function sdkThroughput(clients, seconds) {
  const connected = await Promise.all(Array.from({ length: clients }, connectSdk));
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  const counts = await Promise.all(connected.map(async client => {
    let calls = 0;
    while (performance.now() < deadline) {
      await client.callTool(echo);
      calls++;
    }
    return calls;
  }));
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(connected.map(client => client.close()));
  return { calls: counts.reduce((a, b) => a + b, 0), seconds: elapsed };
}

// Raw HTTP: one keep-alive connection, one session, JSON-RPC bodies written by hand, SSE answers read whole.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(body, sessionId) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: "POST",
      agent,
      headers: {
        ...headers,
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

async function rawLatency(warmUp, calls) {
  const { sessionId } = await post({
    jsonrpc: "2.0", id: 0, method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "catwalk-benchmark-raw", version: "1" } },
  });
  await post({ jsonrpc: "2.0", method: "notifications/initialized" }, sessionId);
  const latencies = [];
  for (let i = 0; i < warmUp + calls; i++) {
    const start = performance.now();
    const { text } = await post({ jsonrpc: "2.0", id: i + 1, method: "tools/call", params: echo }, sessionId);
    if (!text.includes("benchmark")) throw new Error(`Unexpected answer: ${text}`);
    if (i >= warmUp) latencies.push(performance.now() - start);
  }
  agent.destroy();
  return { latencies };
}

const modes = { "sdk-latency": sdkLatency, "raw-latency": rawLatency, "sdk-throughput": sdkThroughput };
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
