// Bundle tests/browser/page.ts with esbuild, serve it from its own 127.0.0.1 port, load it in headless
// Chromium (playwright-core, /usr/bin/chromium) and print window.__results as JSON.
// Usage: node tests/browser/run.mjs <api base URL> <admin token>  (the service must allow this page's
// origin: APIGEN_CORS_ORIGINS). The page port is chosen up front: PAGE_PORT env.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";
import { chromium } from "playwright-core";

const [api, token] = process.argv.slice(2);
const port = Number(process.env.PAGE_PORT);
const here = fileURLToPath(new URL(".", import.meta.url));
const bundle = await build({ entryPoints: [join(here, "page.ts")], bundle: true, format: "esm", minify: true, write: false, target: "es2022" });
const script = bundle.outputFiles[0].text;
const html = `<!doctype html><meta charset="utf-8"><title>apigen client</title><script type="module">${script.replace(/<\/script/g, "<\\/script")}</script>`;
const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
});
await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
const profile = mkdtempSync(join(tmpdir(), "apigen-chromium-"));
// A fresh profile: launchPersistentContext passes it to Chromium as --user-data-dir.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage();
  const logs = [];
  page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
  await page.goto(`http://127.0.0.1:${port}/?api=${encodeURIComponent(api)}&token=${encodeURIComponent(token)}`);
  await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 30000 });
  const results = await page.evaluate(() => window.__results);
  console.log(JSON.stringify({ results, logs, bundleBytes: script.length }));
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
