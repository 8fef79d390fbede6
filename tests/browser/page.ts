// Runs in headless Chromium (tests/test_browser.py): the bundled client against the live service on
// another origin, so every call is a CORS request. Results go to window.__results.
import {
  createChatCompletion,
  createClient,
  createUser,
  deleteUser,
  downloadAvatar,
  getHealth,
  getUser,
  listUsers,
  login,
  uploadAvatar,
} from "../../generated/typescript/src/index.js";

declare global {
  interface Window {
    __results?: Record<string, unknown>;
  }
}

async function run(): Promise<Record<string, unknown>> {
  const params = new URLSearchParams(location.search);
  const baseUrl = params.get("api") ?? "";
  const admin = createClient({ baseUrl, auth: params.get("token") ?? "" });
  const out: Record<string, unknown> = { origin: location.origin };
  const health = await getHealth({ client: admin });
  out["health"] = health.status === 200 ? health.data.status : health.status;
  const name = `browser_${Date.now()}`;
  const created = await createUser({
    client: admin,
    body: { username: name, email: `${name}@example.com`, role: "member", password: "correct horse battery" },
  });
  if (created.status !== 201) return { ...out, created: created.status };
  out["created"] = created.status;
  out["location"] = created.headers.location ?? null;
  const token = await login({ client: admin, body: { username: name, password: "correct horse battery" } });
  out["login"] = token.status;
  const user = token.status === 200 ? createClient({ baseUrl, auth: token.data.accessToken }) : admin;
  const got = await getUser({ client: user, userId: created.data.id });
  out["getUser"] = got.status === 200 ? got.data.username === name : got.status;
  const missing = await getUser({ client: admin, userId: 999_999_999 });
  out["missing"] = missing.status === 404 ? missing.error.code : missing.status;
  const page = await listUsers({ client: admin, limit: 5, xRequestId: "browser" });
  out["listUsers"] = page.status === 200 ? page.data.limit : page.status;
  const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3, 250]);
  const up = await uploadAvatar({ client: user, userId: created.data.id, body: { file: new File([bytes], "a.png", { type: "image/png" }) } });
  out["upload"] = up.status;
  const down = await downloadAvatar({ client: user, userId: created.data.id });
  out["download"] = down.status === 200 ? Array.from(new Uint8Array(await down.data.arrayBuffer())) : down.status;
  const controller = new AbortController();
  controller.abort();
  out["aborted"] = (await getHealth({ client: admin, signal: controller.signal })).status;
  const never: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
  out["timeout"] = (await getHealth({ client: createClient({ baseUrl, fetch: never, timeout: 30 }) })).status;
  out["networkError"] = (await getHealth({ client: createClient({ baseUrl: "http://127.0.0.1:9" }) })).status;
  out["deleted"] = (await deleteUser({ client: admin, userId: created.data.id })).status;
  // Server-Sent Events read with fetch streaming, across origins.
  const stream: string[] = [];
  for await (const ev of createChatCompletion({
    client: admin,
    body: { prompt: "browser stream", maxTokens: 3 },
    accept: "text/event-stream",
  })) {
    stream.push(ev.event === "token" ? ev.data.text : `usage:${ev.data.completionTokens}`);
  }
  out["stream"] = stream;
  return out;
}

run().then(
  (results) => (window.__results = results),
  (error: unknown) => (window.__results = { exception: String(error) }),
);
