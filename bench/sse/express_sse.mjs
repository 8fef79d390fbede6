// Minimal Express SSE server, the Node reference of the SSE benchmark (same protocol as bench/sse/hub.py):
// GET /events streams `event: ready` then every broadcast; POST /broadcast?count=N&interval_ms=M sends
// N events M ms apart to every open stream, each `{"i": n, "t": <send time, ms since the epoch>}`.
// Usage: node express_sse.mjs PORT   (express is loaded from BENCH_NODE_MODULES, var/bench/node/node_modules)
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.env.BENCH_NODE_MODULES, "resolve-from-here.js"));
const express = require("express");

const port = Number(process.argv[2]);
const streams = new Set();
const app = express();

app.get("/events", (req, res) => {
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
  res.write("event: ready\ndata: \n\n");
  streams.add(res);
  req.on("close", () => streams.delete(res));
});

app.post("/broadcast", (req, res) => {
  const count = Number(req.query.count ?? 1);
  const interval = Number(req.query.interval_ms ?? 100);
  let i = 0;
  const tick = () => {
    const data = `data: ${JSON.stringify({ i, t: performance.timeOrigin + performance.now() })}\n\n`;
    for (const stream of streams) stream.write(data);
    if (++i < count) setTimeout(tick, interval);
  };
  tick();
  res.status(202).json({ streams: streams.size });
});

app.listen(port, "127.0.0.1");
