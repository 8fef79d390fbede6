// Lists identifiers in TypeScript files that only planted code would contain (one JSON object out).
// Usage: node scan_ts.js BANNED,WORDS file.ts...
const ts = require(require("path").resolve(process.cwd(), "node_modules/typescript"));
const fs = require("fs");
const banned = new Set(process.argv[2].split(","));
const found = {};
for (const file of process.argv.slice(3)) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const hits = [];
  const visit = (node) => {
    if (ts.isIdentifier(node) && banned.has(node.text)) hits.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (source.parseDiagnostics && source.parseDiagnostics.length) hits.push("syntax error");
  if (hits.length) found[file] = hits;
}
process.stdout.write(JSON.stringify(found));
