// What goes on the wire for every parameter style, body kind and auth kind of the fixture spec
// (tests/ts/fixture/openapi.yaml), with a recording fetch: no server needed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createClient, getMatrix, getPet, putPet } from "./fixture/out/typescript/src/index.js";

const sent: { url: string; init: RequestInit }[] = [];
const fakeFetch: typeof fetch = async (input, init) => {
  sent.push({ url: String(input), init: init ?? {} });
  return new Response(JSON.stringify({ message: "nope" }), { status: 404, headers: { "content-type": "application/json" } });
};
const last = () => {
  const r = sent.at(-1);
  assert.ok(r);
  return { ...r, headers: new Headers(r.init.headers) };
};

test("query styles, header and cookie parameters, percent-encoded path, apiKey in query", async () => {
  const client = createClient({ baseUrl: "http://h/api/", fetch: fakeFetch, auth: "k&y" });
  const r = await getPet({
    client,
    petId: "a/b c",
    tags: ["x", "y z"],
    ids: [1, 2],
    filter: { color: "red", size: "L" },
    words: ["a", "b"],
    pipes: ["c", "d"],
    xTrace: ["t1", "t2"],
    session: "s 1",
    pageSize: 5,
    sinceId: undefined,
  });
  assert.equal(r.status, 404);
  if (r.status === 404) assert.equal(r.error.message, "nope");
  const { url, headers } = last();
  // Listed parameters come first, in spec order; then the form-style ones the metadata leaves out
  // (their wire name is the snake case of the argument: this spec spells most of its names so).
  assert.equal(
    url,
    "http://h/api/pets/a%2Fb%20c?ids=1,2&filter%5Bcolor%5D=red&filter%5Bsize%5D=L&words=a%20b&pipes=c%7Cd&api_key=k%26y&tags=x&tags=y%20z&page_size=5",
  );
  assert.equal(headers.get("x-trace"), "t1,t2");
  assert.equal(headers.get("cookie"), "session=s%201");
});

test("matrix path style; apiKey in header (first alternative); nothing for undefined optionals", async () => {
  const client = createClient({ baseUrl: "http://h", fetch: fakeFetch, auth: (s) => (s === "apiKeyHeader" ? "hk" : undefined) });
  await getMatrix({ client, coords: { x: 1, y: 2 } });
  const { url, headers } = last();
  assert.equal(url, "http://h/matrix/;x=1;y=2");
  assert.equal(headers.get("x-api-key"), "hk");
  assert.equal(headers.get("cookie"), null);
  const cookieOnly = createClient({ baseUrl: "http://h", fetch: fakeFetch, auth: (s) => (s === "apiKeyCookie" ? "ck" : undefined) });
  await getMatrix({ client: cookieOnly, coords: { x: 3 } });
  assert.equal(last().headers.get("cookie"), "key=ck");
  assert.equal(last().url, "http://h/matrix/;x=3");
  const withCookie = createClient({ baseUrl: "http://h", fetch: fakeFetch, auth: (s) => (s === "apiKeyCookie" ? "ck" : undefined), headers: { Cookie: "a=1" } });
  await getMatrix({ client: withCookie, coords: { x: 4 } });
  assert.equal(last().headers.get("cookie"), "a=1; key=ck");
});

test("basic auth and JSON body; no credentials without auth", async () => {
  const client = createClient({ baseUrl: "http://h", fetch: fakeFetch, auth: "ada:pässword" });
  await putPet({ client, petId: "1", body: { name: "Tom", secret: "s", kind: { type: "cat", lives: 9 } } });
  const { headers, init } = last();
  assert.equal(headers.get("authorization"), `Basic ${Buffer.from("ada:pässword").toString("base64")}`);
  assert.equal(headers.get("content-type"), "application/json");
  assert.equal(init.method, "PUT");
  assert.deepEqual(JSON.parse(String(init.body)), { name: "Tom", secret: "s", kind: { type: "cat", lives: 9 } });
  await getPet({ client: createClient({ baseUrl: "http://h", fetch: fakeFetch }), petId: "1" });
  assert.equal(last().url, "http://h/pets/1");
});
