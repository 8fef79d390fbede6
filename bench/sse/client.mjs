// SSE load client: opens N streams on 127.0.0.1, measures the server's memory per idle stream and
// the latency of broadcast events (receive time - send time carried in the event), prints one JSON line.
// Usage: node client.mjs BASE_URL SERVER_PID N EVENTS INTERVAL_MS [STREAM_PATH]
import http from "node:http";
import { readFileSync } from "node:fs";

const [base, pid, n, events, interval, path = "/events"] = process.argv.slice(2);
const N = Number(n);
const EVENTS = Number(events);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rssMb() {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(line.split(/\s+/)[1]) / 1024;
}

function post(url) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end();
  });
}

// One stream: resolves `ready` on the first event, records every later event's latency.
function open(latencies, stats) {
  let ready;
  const isReady = new Promise((resolve, reject) => (ready = { resolve, reject }));
  const req = http.get(`${base}${path}`, { agent }, (res) => {
    if (res.statusCode !== 200) return ready.reject(new Error(`status ${res.statusCode}`));
    res.setEncoding("utf8");
    let buffer = "";
    res.on("data", (chunk) => {
      buffer += chunk.replaceAll("\r\n", "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: ?ready$/m.test(block)) ready.resolve();
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        if (data.startsWith("{")) {
          latencies.push(now() - JSON.parse(data).t);
          stats.received++;
        }
      }
    });
  });
  req.on("error", (e) => ready.reject(e));
  return { req, isReady };
}

async function openMany(count, latencies, stats) {
  const streams = [];
  for (let i = 0; i < count; i += 100) {  // in batches, so the listen backlog is never the limit
    const batch = Array.from({ length: Math.min(100, count - i) }, () => open(latencies, stats));
    await Promise.allSettled(batch.map((s) => s.isReady));
    streams.push(...batch);
  }
  return streams;
}

// Warm-up (not recorded): a few streams and one event, so lazy start-up costs are not counted per stream.
const warm = await openMany(10, [], { received: 0 });
await post(`${base}/broadcast?count=1&interval_ms=1`);
await sleep(300);
for (const s of warm) s.req.destroy();
await sleep(700);

const before = rssMb();
const latencies = [];
const stats = { received: 0 };
const t0 = now();
const streams = await openMany(N, latencies, stats);
const openMs = now() - t0;
const results = await Promise.allSettled(streams.map((s) => s.isReady));
const opened = results.filter((r) => r.status === "fulfilled").length;
const failure = results.find((r) => r.status === "rejected");
await sleep(1500);  // idle: nothing is sent
const idle = rssMb();

await post(`${base}/broadcast?count=${EVENTS}&interval_ms=${interval}`);
const deadline = now() + EVENTS * Number(interval) + 10000;
while (stats.received < opened * EVENTS && now() < deadline) await sleep(50);
for (const s of streams) s.req.destroy();

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : null);
console.log(JSON.stringify({
  streams: N,
  opened,
  open_error: failure ? String(failure.reason).slice(0, 120) : null,
  open_ms: openMs,
  rss_before_mb: before,
  rss_idle_mb: idle,
  kb_per_idle_stream: ((idle - before) * 1024) / Math.max(opened, 1),
  events_expected: opened * EVENTS,
  events_received: stats.received,
  latency_p50_ms: pct(50),
  latency_p99_ms: pct(99),
  latency_max_ms: latencies.length ? latencies[latencies.length - 1] : null,
}));
