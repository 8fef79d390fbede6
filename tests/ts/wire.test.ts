// What goes on the wire for every parameter style, body kind and auth kind of the fixture spec
// (tests/ts/fixture/openapi.yaml), with a recording fetch: no server needed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createClient, getMatrix, getPet, getQueryStyled, getStyled, putPet, tailLogs } from "./fixture/out/typescript/src/index.js";

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

test("simple, label and matrix styles: the examples of OpenAPI 3.0.3 (the app decodes the same texts)", async () => {
  const person = { role: "admin", firstName: "Alex" };
  await getStyled({
    client: createClient({ baseUrl: "http://h", fetch: fakeFetch }),
    label: [3, 4, 5],
    labelX: person,
    matrix: [3, 4, 5],
    matrixX: [3, 4, 5],
    simpleX: person,
    point: person,
    n: 5,
    xIds: [3, 4, 5],
    xPerson: person,
  });
  const { url, headers } = last();
  assert.equal(
    url,
    "http://h/styled/.3,4,5/.role=admin.firstName=Alex/;matrix=3,4,5/;matrixX=3;matrixX=4;matrixX=5/role=admin,firstName=Alex/;point=role,admin,firstName,Alex/;n=5",
  );
  assert.equal(headers.get("x-ids"), "3,4,5");
  assert.equal(headers.get("x-person"), "role=admin,firstName=Alex");
});

test("form, spaceDelimited, pipeDelimited and deepObject query styles: the examples of OpenAPI 3.0.3 (the app decodes the same text)", async () => {
  const person = { role: "admin", firstName: "Alex" };
  const ids = [3, 4, 5];
  await getQueryStyled({
    client: createClient({ baseUrl: "http://h", fetch: fakeFetch }),
    ids,
    idsX: ids,
    space: ids,
    pipe: ids,
    person,
    personX: person,
    deep: person,
    spacePerson: person,
    pipePerson: person,
  });
  assert.equal(
    last().url,
    "http://h/query-styled?ids=3,4,5&space=3%204%205&pipe=3%7C4%7C5&person=role,admin,firstName,Alex&deep%5Brole%5D=admin&deep%5BfirstName%5D=Alex" +
      "&space_person=role%20admin%20firstName%20Alex&pipe_person=role%7Cadmin%7CfirstName%7CAlex&ids_x=3&ids_x=4&ids_x=5&role=admin&firstName=Alex",
  );
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

/** A streamed body delivered in exactly these chunks; `fail` errors the stream after them. */
function chunked(chunks: string[], fail = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const queue = [...chunks];
  return new ReadableStream({
    pull(controller) {
      const next = queue.shift();
      if (next !== undefined) controller.enqueue(encoder.encode(next));
      else if (fail) controller.error(new TypeError("connection reset"));
      else controller.close();
    },
  });
}

const sseResponse = (body: ReadableStream<Uint8Array>) =>
  new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });

test("SSE parsing: partial chunks, CR LF split across chunks, comments, multi-line data, id and retry", async () => {
  const requests: Headers[] = [];
  const fetchOnce: typeof fetch = async (input, init) => {
    requests.push(new Headers(init?.headers));
    assert.equal(String(input), "http://h/logs/web%20app");
    return sseResponse(
      chunked([
        ": keep-alive\n\n",
        "data: fir",
        "st\n\nda",
        "ta: line one\r",
        "\ndata: line two\r\nid: 7\r\nretry: 1500\r\n\r\n",
        "event: notice\ndata:no space\n\n",
        "data: incomplete, never dispatched",
      ]),
    );
  };
  const client = createClient({ baseUrl: "http://h", fetch: fetchOnce });
  const events = [];
  for await (const ev of tailLogs({ client, app: "web app" })) events.push(ev);
  assert.deepEqual(events, [
    { event: "message", data: "first" },
    { event: "message", data: "line one\nline two", id: "7", retry: 1500 },
    { event: "notice", data: "no space" },
  ]);
  assert.equal(requests[0]?.get("accept"), "text/event-stream");
  assert.equal(requests[0]?.has("last-event-id"), false);
});

test("SSE reconnect (opt-in): a dropped connection resumes with Last-Event-ID; a normal end does not reconnect", async () => {
  const requests: Headers[] = [];
  const bodies = [chunked(["id: a1\ndata: one\n\nretry: 5\n\n", "data: partial"], true), chunked(["id: a2\ndata: two\n\n"])];
  const flaky: typeof fetch = async (_input, init) => {
    requests.push(new Headers(init?.headers));
    const body = bodies.shift();
    assert.ok(body, "one request too many");
    return sseResponse(body);
  };
  const client = createClient({ baseUrl: "http://h", fetch: flaky });
  const data: string[] = [];
  for await (const ev of tailLogs({ client, app: "x", reconnect: true })) data.push(ev.data);
  assert.deepEqual(data, ["one", "two"]);
  assert.equal(requests.length, 2);
  assert.equal(requests[1]?.get("last-event-id"), "a1");

  // Without reconnect a dropped connection throws.
  bodies.push(chunked(["data: one\n\n"], true));
  await assert.rejects(
    (async () => {
      for await (const _ of tailLogs({ client, app: "x" })) void _;
    })(),
    (e: unknown) => e instanceof Error && (e as { status?: unknown }).status === "network-error",
  );
});

test("SSE: an undeclared error event throws with its body; abort ends the loop quietly", async () => {
  const erroring: typeof fetch = async () => sseResponse(chunked(['data: ok\n\nevent: error\ndata: {"code":"invalid_event"}\n\n']));
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const ev of tailLogs({ client: createClient({ baseUrl: "http://h", fetch: erroring }), app: "x" })) seen.push(ev.data);
    })(),
    (e: unknown) =>
      (e as { status?: unknown }).status === "error-event" && (e as { error?: { code?: string } }).error?.code === "invalid_event",
  );
  assert.deepEqual(seen, ["ok"]);

  const controller = new AbortController();
  const endless: typeof fetch = async (_input, init) =>
    sseResponse(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode("data: tick\n\n"));
          init?.signal?.addEventListener("abort", () => c.error(init.signal?.reason));
        },
      }),
    );
  const ticks: string[] = [];
  for await (const ev of tailLogs({ client: createClient({ baseUrl: "http://h", fetch: endless }), app: "x", signal: controller.signal })) {
    ticks.push(ev.data);
    controller.abort();
  }
  assert.deepEqual(ticks, ["tick"]);
});
