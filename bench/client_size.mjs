// `make bench`: bundle sizes of the apigen TypeScript client next to openapi-fetch and hey-api,
// all measured with esbuild (ESM, minified) in the same run, gzip level 9.
// Specs: the example (spec/openapi.yaml) and GitHub's REST spec (../shared/corpus/github.json).
// `--json FILE` also writes the rows as JSON (bench/run.py puts them in var/bench.json).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const GITHUB = resolve(ROOT, "..", "shared", "corpus", "github.json");
const EXAMPLE = join(ROOT, "spec", "openapi.yaml");
const tmp = mkdtempSync(join(tmpdir(), "apigen-bench-"));

async function size(code, name) {
  const file = join(tmp, `${name}.entry.ts`);
  writeFileSync(file, code);
  const out = await build({ entryPoints: [file], bundle: true, minify: true, format: "esm", write: false, target: "es2022", nodePaths: [join(ROOT, "node_modules")] });
  const text = out.outputFiles[0].contents;
  return { min: text.length, gzip: gzipSync(text, { level: 9 }).length };
}

function apigen(spec, name) {
  const out = join(tmp, name);
  const ops = Number(execFileSync(join(ROOT, ".venv", "bin", "python"), [join(ROOT, "bench", "render_ts.py"), spec, out], { cwd: ROOT, env: { ...process.env, PYTHONPATH: ROOT } }).toString().trim());
  return { src: join(out, "src"), ops };
}

function heyApi(spec, name) {
  const out = join(tmp, `hey-${name}`);
  execFileSync(join(ROOT, "node_modules", ".bin", "openapi-ts"), ["-i", spec, "-o", out, "-c", "@hey-api/client-fetch"], { cwd: tmp, stdio: "ignore" });
  return out;
}

const rows = [];
const targets = []; // [what, measured, limit, met]
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
/** Record a target of issue #4 and return its note for the table. */
function target(what, measured, limit, met) {
  targets.push([what, measured, limit, met]);
  return `target ${limit}: ${met ? "OK" : "OVER"}`;
}
const add = (what, s, note = "") => rows.push([what, `${s.min} B`, kb(s.gzip), note]);

try {
  const ex = apigen(EXAMPLE, "example");
  const core = await size(`export { createClient, op, ApiError } from ${JSON.stringify(join(ex.src, "client.ts"))};`, "core");
  add("apigen core runtime (createClient, op, ApiError)", core, target("core runtime, min+gzip", kb(core.gzip), "<= 1.50 KB", core.gzip <= 1536));
  const exAll = await size(`export * from ${JSON.stringify(join(ex.src, "index.ts"))};`, "example-all");
  add(`apigen example, all ${ex.ops} operations`, exAll);
  const one = await size(`export { createClient, getUser } from ${JSON.stringify(join(ex.src, "index.ts"))};`, "one");
  const two = await size(`export { createClient, getUser, listUsers } from ${JSON.stringify(join(ex.src, "index.ts"))};`, "two");
  add("apigen example, createClient + getUser", one);
  const extra = two.min - one.min;
  rows.push(["apigen: one extra operation (+listUsers, 4 params)", `${extra} B`, "", target("one extra operation, minified", `${extra} B`, "<= 120 B", extra <= 120)]);

  const ofTypes = join(tmp, "of-example.d.ts");
  execFileSync(join(ROOT, "node_modules", ".bin", "openapi-typescript"), [EXAMPLE, "-o", ofTypes], { stdio: "ignore" });
  const of = await size(`import createClient from "openapi-fetch"; export { createClient };`, "openapi-fetch");
  add("openapi-fetch runtime (types are free; same for any spec)", of);

  const hey = heyApi(EXAMPLE, "example");
  const heyCore = await size(`export { createClient } from ${JSON.stringify(join(hey, "client", "index.ts"))};`, "hey-core");
  add("hey-api client-fetch runtime", heyCore);
  const heyAll = await size(`export * from ${JSON.stringify(join(hey, "index.ts"))};`, "hey-example");
  add("hey-api example, all operations", heyAll);

  if (existsSync(GITHUB)) {
    const gh = apigen(GITHUB, "github");
    const ghAll = await size(`export * from ${JSON.stringify(join(gh.src, "index.ts"))};`, "github-all");
    add(`apigen GitHub, all ${gh.ops} operations`, ghAll, target(`GitHub, all ${gh.ops} operations, min+gzip`, kb(ghAll.gzip), "< 20.00 KB", ghAll.gzip < 20480));
    const perOp = Math.round((ghAll.min - core.min) / gh.ops);
    rows.push(["apigen GitHub: average per operation", `${perOp} B`, `${((ghAll.gzip - core.gzip) / gh.ops).toFixed(1)} B`, ""]);
    try {
      const heyGh = heyApi(GITHUB, "github");
      const heyGhAll = await size(`export * from ${JSON.stringify(join(heyGh, "index.ts"))};`, "hey-github");
      add("hey-api GitHub, all operations", heyGhAll);
    } catch (e) {
      rows.push(["hey-api GitHub", "failed", "", String(e).split("\n")[0].slice(0, 80)]);
    }
    add("openapi-fetch GitHub (runtime only; no per-operation code)", of);
  } else {
    rows.push(["GitHub spec", "missing", "", GITHUB]);
    targets.push([`GitHub, all operations, min+gzip`, "not measured", "< 20.00 KB", false]);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ["bundle", "min", "min+gzip", "note"][i].length));
const line = (r) => "| " + r.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
console.log(line(["bundle", "min", "min+gzip", "note"]));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const r of rows) console.log(line(r));
const jsonAt = process.argv.indexOf("--json");
if (jsonAt > 0) {
  const keys = ["bundle", "min", "gzip", "note"];
  writeFileSync(process.argv[jsonAt + 1], JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]]))), null, 1));
}

console.log("\nTargets (issue #4):");
const tw = Math.max(...targets.map((t) => t[0].length));
for (const [what, measured, limit, met] of targets) console.log(`  ${met ? "OK  " : "OVER"}  ${what.padEnd(tw)}  ${measured.padStart(12)}  (target ${limit})`);
const over = targets.filter((t) => !t[3]).length;
console.log(over ? `${over} of ${targets.length} targets OVER` : `all ${targets.length} targets met`);
