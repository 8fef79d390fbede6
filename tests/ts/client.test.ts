// Black-box test of the generated TypeScript client against the running example service.
// Run by tests/test_typescript.py: compiled with tsc, then `node --test` with
// APIGEN_BASE_URL (the live server) and APIGEN_TOKEN (an administrator's bearer token).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import {
  createChatCompletion,
  createClient,
  createPost,
  createUser,
  deletePost,
  deleteUser,
  downloadAvatar,
  getChatCompletion,
  getHealth,
  getPost,
  getUser,
  listPosts,
  listUsers,
  login,
  updateUser,
  uploadAvatar,
  ApiError as ThrownError,
  type Client,
  type CreateChatCompletionEvent,
  type Error as ApiError,
  type GetUserResult,
  type Problem,
  type Post,
  type User,
} from "../../generated/typescript/src/index.js";

const baseUrl = process.env["APIGEN_BASE_URL"];
const adminToken = process.env["APIGEN_TOKEN"];
if (!baseUrl || !adminToken) throw new Error("set APIGEN_BASE_URL and APIGEN_TOKEN");

/** Every request the client sends, to check what went on the wire. */
const sent: { url: string; method: string; headers: Headers; body: unknown }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  sent.push({ url: String(input), method: init?.method ?? "GET", headers: new Headers(init?.headers), body: init?.body });
  return fetch(input, init);
};
const lastRequest = () => {
  const last = sent.at(-1);
  assert.ok(last, "no request was sent");
  return last;
};

const admin = createClient({ baseUrl, auth: adminToken, fetch: recordingFetch });
const anonymous = createClient({ baseUrl, fetch: recordingFetch });
const suffix = String(process.pid);
const username = `ts_client_${suffix}`;
const password = "correct horse battery";

let user: User;
let userClient: Client;
let post: Post;

/** Narrow a result to one status, failing with the whole result otherwise. */
function expectStatus<R extends { status: number | string }, S extends R["status"]>(r: R, status: S): Extract<R, { status: S }> {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${JSON.stringify((r as { error?: unknown }).error)}`);
  return r as Extract<R, { status: S }>;
}

describe("generated TypeScript client against the live service", () => {
  before(async () => {
    const r = await createUser({
      client: admin,
      body: { username, email: `${username}@example.com`, role: "admin", password, labels: { team: "web" } },
    });
    const created = expectStatus(r, 201);
    user = created.data;
    assert.equal(user.username, username);
    assert.equal(user.hasAvatar, false);
    assert.deepEqual(user.labels, { team: "web" });
    assert.ok(created.headers.location.endsWith(`/users/${user.id}`), created.headers.location);
    assert.equal(lastRequest().headers.get("authorization"), `Bearer ${adminToken}`);
    assert.equal(lastRequest().headers.get("content-type"), "application/json");
  });

  test("getHealth: no credentials sent to an operation without security", async () => {
    const r = await getHealth({ client: admin });
    const ok = expectStatus(r, 200);
    assert.ok(ok.data.status === "ok" || ok.data.status === "degraded");
    assert.equal(typeof ok.data.time, "string");
    assert.equal(lastRequest().headers.get("authorization"), null);
  });

  test("login: form body, then the token works", async () => {
    const r = await login({ client: anonymous, body: { username, password } });
    const ok = expectStatus(r, 200);
    assert.equal(ok.data.tokenType, "bearer");
    assert.ok(ok.data.expiresIn > 0);
    assert.equal(lastRequest().headers.get("content-type"), "application/x-www-form-urlencoded");
    userClient = createClient({ baseUrl, auth: () => ok.data.accessToken, fetch: recordingFetch, headers: { "X-Test": "1" } });
    const me = await getUser({ client: userClient, userId: user.id });
    assert.equal(expectStatus(me, 200).data.id, user.id);
    assert.equal(lastRequest().headers.get("authorization"), `Bearer ${ok.data.accessToken}`);
    assert.equal(lastRequest().headers.get("x-test"), "1");
    assert.equal(new URL(lastRequest().url).pathname, `/users/${user.id}`);
  });

  test("login: wrong password is a typed 401", async () => {
    const r = await login({ client: anonymous, body: { username, password: "wrong password" } });
    if (r.status !== 401) assert.fail(`expected 401, got ${r.status}`);
    const error: ApiError = r.error;
    assert.equal(typeof error.code, "string");
    assert.equal(typeof error.message, "string");
  });

  test("a secured operation without credentials is a typed 401", async () => {
    const r = await listUsers({ client: anonymous });
    const denied = expectStatus(r, 401);
    assert.equal(typeof denied.error.message, "string");
    assert.equal(lastRequest().headers.get("authorization"), null);
  });

  test("listUsers: query and header parameters", async () => {
    const r = await listUsers({ client: admin, limit: 100, offset: 0, role: "admin", xRequestId: `req-${suffix}` });
    const page = expectStatus(r, 200).data;
    assert.equal(page.limit, 100);
    assert.equal(page.offset, 0);
    assert.ok(page.items.every((u) => u.role === "admin"));
    assert.ok(page.items.some((u) => u.id === user.id));
    const url = new URL(lastRequest().url);
    assert.equal(url.search, "?limit=100&offset=0&role=admin");
    assert.equal(lastRequest().headers.get("x-request-id"), `req-${suffix}`);
    const guests = expectStatus(await listUsers({ client: admin, role: "guest" }), 200).data;
    assert.ok(guests.items.every((u) => u.role === "guest"));
  });

  test("listUsers: a contract violation is a typed 400", async () => {
    const r = await listUsers({ client: admin, limit: 1000 });
    const bad = expectStatus(r, 400);
    assert.equal(typeof bad.error.code, "string");
  });

  test("getUser: 200, and 404 narrowed to the Error type", async () => {
    const found = expectStatus(await getUser({ client: admin, userId: user.id }), 200);
    assert.equal(found.data.email, `${username}@example.com`);
    const r = await getUser({ client: admin, userId: 999_999_999 });
    if (r.status === 404) {
      const message: string = r.error.message;
      assert.equal(typeof message, "string");
      assert.equal(typeof r.error.code, "string");
    } else {
      assert.fail(`expected 404, got ${r.status}`);
    }
  });

  test("updateUser: partial change, nullable field cleared", async () => {
    const set = expectStatus(await updateUser({ client: userClient, userId: user.id, body: { nickname: "tsy", displayName: "TS Client" } }), 200);
    assert.equal(set.data.nickname, "tsy");
    assert.equal(set.data.displayName, "TS Client");
    const cleared = expectStatus(await updateUser({ client: userClient, userId: user.id, body: { nickname: null } }), 200);
    assert.equal(cleared.data.nickname ?? null, null);
    assert.equal(cleared.data.displayName, "TS Client");
    const missing = await updateUser({ client: admin, userId: 999_999_999, body: { role: "guest" } });
    assert.equal(expectStatus(missing, 404).error.code.length > 0, true);
  });

  test("uploadAvatar (multipart Blob) and downloadAvatar (Blob bytes equal)", async () => {
    const bytes = new Uint8Array(512);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) % 256;
    const upload = await uploadAvatar({ client: userClient, userId: user.id, body: { file: new Blob([bytes], { type: "image/png" }) } });
    const stored = expectStatus(upload, 204);
    assert.equal(stored.data, undefined);
    // FormData body; fetch writes `multipart/form-data; boundary=...` itself.
    const form = lastRequest().body;
    assert.ok(form instanceof FormData);
    assert.ok(form.get("file") instanceof Blob);
    assert.equal(lastRequest().headers.get("content-type"), null);
    const download = expectStatus(await downloadAvatar({ client: userClient, userId: user.id }), 200);
    assert.ok(download.data instanceof Blob);
    assert.deepEqual(new Uint8Array(await download.data.arrayBuffer()), bytes);
    const after = expectStatus(await getUser({ client: userClient, userId: user.id }), 200);
    assert.equal(after.data.hasAvatar, true);
    const none = await downloadAvatar({ client: admin, userId: 999_999_999 });
    assert.equal(typeof expectStatus(none, 404).error.message, "string");
  });

  test("createPost: 201 with Location; getPost; listPosts with a cookie parameter", async () => {
    const created = expectStatus(
      await createPost({ client: userClient, body: { authorId: user.id, content: { kind: "link", url: "https://example.com/ts", title: "TS" } } }),
      201,
    );
    post = created.data;
    assert.ok(created.headers.location.endsWith(`/posts/${post.id}`), created.headers.location);
    assert.equal(post.authorId, user.id);
    assert.equal(post.content.kind, "link");
    if (post.content.kind === "link") assert.equal(post.content.url, "https://example.com/ts");

    const got = expectStatus(await getPost({ client: anonymous, postId: post.id }), 200);
    assert.deepEqual(got.data, post);

    const page = expectStatus(await listPosts({ client: anonymous, limit: 100, lang: "fr" }), 200).data;
    assert.ok(page.items.some((p) => p.id === post.id));
    assert.equal(lastRequest().headers.get("cookie"), "lang=fr");
    assert.equal(new URL(lastRequest().url).search, "?limit=100");

    const orphan = await createPost({ client: admin, body: { authorId: 999_999_999, content: { kind: "text", text: "hi" } } });
    assert.equal(typeof expectStatus(orphan, 404).error.message, "string");
  });

  test("deletePost and deleteUser: 204, then 404", async () => {
    assert.equal(expectStatus(await deletePost({ client: userClient, postId: post.id }), 204).data, undefined);
    assert.equal((await getPost({ client: anonymous, postId: post.id })).status, 404);
    assert.equal(expectStatus(await deletePost({ client: admin, postId: post.id }), 404).error.code.length > 0, true);

    assert.equal(expectStatus(await deleteUser({ client: admin, userId: user.id }), 204).data, undefined);
    const gone = await getUser({ client: admin, userId: user.id });
    if (gone.status !== 404) assert.fail(`expected 404, got ${gone.status}`);
    assert.equal(typeof gone.error.message, "string");
    assert.equal(expectStatus(await deleteUser({ client: admin, userId: user.id }), 404).error.code.length > 0, true);
  });

  test("createUser: duplicate is a typed 409", async () => {
    const body = { username: `dup_${suffix}`, email: `dup_${suffix}@example.com`, role: "guest" as const, password };
    const first = expectStatus(await createUser({ client: admin, body }), 201);
    const again = await createUser({ client: admin, body });
    assert.equal(typeof expectStatus(again, 409).error.message, "string");
    assert.equal(expectStatus(await deleteUser({ client: admin, userId: first.data.id }), 204).status, 204);
  });

  test("abort: an aborted signal resolves to status \"aborted\"", async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await getHealth({ client: anonymous, signal: controller.signal });
    assert.equal(r.status, "aborted");
    if (r.status === "aborted") assert.equal(r.error.name, "AbortError");
    const late = new AbortController();
    const pending = listUsers({ client: admin, signal: late.signal, limit: 1 });
    late.abort();
    assert.equal((await pending).status, "aborted");
  });

  test("timeout: a server slower than the timeout resolves to status \"timeout\"", async () => {
    const slowFetch: typeof fetch = (input, init) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => resolve(fetch(input, init)), 500);
        init?.signal?.addEventListener("abort", () => (clearTimeout(t), reject(init.signal?.reason)));
      });
    const slow = createClient({ baseUrl, fetch: slowFetch, timeout: 50 });
    const r = await getHealth({ client: slow });
    assert.equal(r.status, "timeout");
    if (r.status === "timeout") assert.equal(r.error.name, "TimeoutError");
    assert.equal((await getHealth({ client: slow, timeout: 5000 })).status, 200);
    // The real service answers well within a generous timeout.
    assert.equal((await getHealth({ client: createClient({ baseUrl, timeout: 5000 }) })).status, 200);
  });

  test("network error: nothing listening resolves to status \"network-error\"", async () => {
    const dead = createClient({ baseUrl: "http://127.0.0.1:9" });
    const r = await getHealth({ client: dead });
    assert.equal(r.status, "network-error");
    if (r.status === "network-error") assert.ok(r.error instanceof Error);
  });

  test("throwOnError: 2xx returned, anything else throws a typed ApiError", async () => {
    const strict = createClient({ baseUrl, auth: adminToken, throwOnError: true });
    const ok = await getHealth({ client: strict });
    // The result type has only the 2xx variants: `data` needs no narrowing.
    assert.ok(ok.data.status === "ok" || ok.data.status === "degraded");
    await assert.rejects(getUser({ client: strict, userId: 999_999_999 }), (e: unknown) => {
      assert.ok(e instanceof ThrownError && e instanceof Error);
      assert.equal(e.status, 404);
      assert.equal(e.name, "ApiError");
      const failed = e as ThrownError<Problem<GetUserResult>>;
      if (failed.result.status === 404) assert.equal(typeof failed.result.error.message, "string");
      else assert.fail("expected the 404 variant");
      assert.equal(failed.response?.status, 404);
      return true;
    });
    const dead = createClient({ baseUrl: "http://127.0.0.1:9", throwOnError: true });
    await assert.rejects(getHealth({ client: dead }), (e: unknown) => e instanceof ThrownError && e.status === "network-error");
  });
});

describe("Server-Sent Events: createChatCompletion streams typed events", () => {
  const prompt = "stream me please";

  async function collect(events: AsyncIterable<CreateChatCompletionEvent>, stopAfter = Infinity) {
    const seen: CreateChatCompletionEvent[] = [];
    for await (const ev of events) {
      seen.push(ev);
      if (seen.length >= stopAfter) break;
    }
    return seen;
  }

  /** The completion's state as the server sees it, once it is no longer streaming. */
  async function settled(completionId: string) {
    for (let i = 0; i < 100; i++) {
      const r = expectStatus(await getChatCompletion({ client: admin, completionId }), 200);
      if (r.data.status !== "streaming") return r.data;
      await new Promise((done) => setTimeout(done, 50));
    }
    assert.fail(`completion ${completionId} is still streaming`);
  }

  test("without accept: the whole completion as JSON", async () => {
    const r = expectStatus(await createChatCompletion({ client: admin, body: { prompt, maxTokens: 3 } }), 200);
    assert.equal(r.data.text, "stream me please ");
    assert.equal(r.data.status, "completed");
    assert.equal(r.data.usage.completionTokens, 3);
  });

  test("accept text/event-stream: token events then a usage event, typed by name", async () => {
    const events = await collect(createChatCompletion({ client: admin, body: { prompt, maxTokens: 4 }, accept: "text/event-stream" }));
    assert.equal(lastRequest().headers.get("accept"), "text/event-stream");
    assert.equal(lastRequest().headers.get("authorization"), `Bearer ${adminToken}`);
    assert.deepEqual(events.map((e) => e.event), ["token", "token", "token", "token", "usage"]);
    const texts: string[] = [];
    for (const ev of events) {
      if (ev.event === "token") {
        texts.push(ev.data.text); // narrowed to ChatToken
        assert.equal(ev.id, `${ev.data.completionId}:${ev.data.index}`);
      } else {
        assert.equal(ev.data.finishReason, "length"); // narrowed to ChatUsage
        assert.equal(ev.data.completionTokens, 4);
        assert.equal(ev.id, undefined);
      }
    }
    assert.deepEqual(texts, ["stream ", "me ", "please ", "stream "]);
  });

  test("lastEventId: the server resumes after that event", async () => {
    const first = await collect(createChatCompletion({ client: admin, body: { prompt, maxTokens: 5 }, accept: "text/event-stream" }));
    const from = first[2];
    assert.ok(from?.event === "token" && from.id);
    const resumed = await collect(
      createChatCompletion({ client: admin, body: { prompt: "x" }, accept: "text/event-stream", lastEventId: from.id }),
    );
    assert.equal(lastRequest().headers.get("last-event-id"), from.id);
    assert.deepEqual(
      resumed.map((e) => e.id),
      [...first.slice(3, 5).map((e) => e.id), undefined],
    );
  });

  test("abort: the loop ends, the server observes the disconnect and cancels the completion", async () => {
    const controller = new AbortController();
    const seen: CreateChatCompletionEvent[] = [];
    for await (const ev of createChatCompletion({
      client: admin,
      body: { prompt, maxTokens: 64 },
      accept: "text/event-stream",
      signal: controller.signal,
    })) {
      seen.push(ev);
      if (seen.length === 2) controller.abort();
    }
    assert.equal(seen.length, 2);
    const token = seen[0];
    assert.ok(token?.event === "token");
    const state = await settled(token.data.completionId);
    assert.equal(state.status, "cancelled");
    assert.ok(state.usage.completionTokens < 64, `sent ${state.usage.completionTokens} tokens`);
  });

  test("break: leaving the loop early closes the stream too", async () => {
    const events = await collect(
      createChatCompletion({ client: admin, body: { prompt, maxTokens: 64 }, accept: "text/event-stream" }),
      1,
    );
    const token = events[0];
    assert.ok(token?.event === "token");
    assert.equal((await settled(token.data.completionId)).status, "cancelled");
  });

  test("a non-2xx answer throws a typed ApiError", async () => {
    await assert.rejects(
      collect(createChatCompletion({ client: anonymous, body: { prompt }, accept: "text/event-stream" })),
      (e: unknown) => e instanceof ThrownError && e.status === 401 && (e.error as ApiError).code === "unauthorized",
    );
    const r = await getChatCompletion({ client: admin, completionId: "cmp_000000000000" });
    assert.equal(expectStatus(r, 404).error.code, "not_found");
  });
});
