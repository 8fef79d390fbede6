// Type tests of the generated client, checked by tsc (tests/test_typescript_types.py): correct calls
// compile with precise types (no `any`), and every misuse below is an error that `@ts-expect-error`
// confirms (tsc reports an unused `@ts-expect-error` when a misuse compiles).
import {
  createClient,
  createPost,
  createUser,
  getHealth,
  getUser,
  listUsers,
  updateUser,
  ApiError,
  type GetUserResult,
  type Post,
  type PostContent,
  type Problem,
  type User,
} from "../../generated/typescript/src/index.js";
import {
  createClient as createFixtureClient,
  getMatrix,
  getPet,
  putPet,
  type Animal,
  type Pet,
  type PetInput,
} from "./fixture/out/typescript/src/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
function assertType<T extends true>(): void {}

const client = createClient({ baseUrl: "http://127.0.0.1:1" });
const strict = createClient({ baseUrl: "http://127.0.0.1:1", throwOnError: true, auth: "t", timeout: 1000 });
const fx = createFixtureClient({ baseUrl: "http://127.0.0.1:1", auth: (scheme) => (scheme === "basicAuth" ? "u:p" : "k") });

export async function correctCalls(): Promise<void> {
  const r = await getUser({ client, userId: 1, signal: new AbortController().signal, timeout: 10 });
  assertType<Equal<typeof r, GetUserResult>>();
  if (r.status === 200) {
    assertType<Equal<typeof r.data, User>>();
    assertType<Equal<IsAny<typeof r.data.id>, false>>();
  } else if (r.status === 404) {
    const message: string = r.error.message;
    void message;
  } else if (r.status === "timeout" || r.status === "aborted" || r.status === "network-error") {
    const error: Error = r.error;
    void error;
  } else if (r.status === 500) {
    assertType<Equal<typeof r.error, unknown>>();
  }
  // throwOnError: the result is the 2xx variants only.
  const ok = await getUser({ client: strict, userId: 1 });
  assertType<Equal<typeof ok.data, User>>();
  const health = await getHealth({ client: strict });
  assertType<Equal<typeof health.data.status, "ok" | "degraded">>();
  try {
    await getUser({ client: strict, userId: 1 });
  } catch (e) {
    if (e instanceof ApiError) {
      const failed = e as ApiError<Problem<GetUserResult>>;
      if (failed.result.status === 404) assertType<Equal<typeof failed.result.error.code, string>>();
    }
  }
  await listUsers({ client, limit: 10, role: "guest", xRequestId: "abc" });
  await updateUser({ client, userId: 1, body: { nickname: null } });
  const created = await createPost({ client, body: { authorId: 1, content: { kind: "text", text: "hi" } } });
  if (created.status === 201) {
    const location: string = created.headers.location;
    const post: Post = created.data;
    const content: PostContent = post.content;
    if (content.kind === "image") assertType<Equal<typeof content.width, number>>();
    void location;
  }
  // Fixture client: 3.0 nullable, readOnly/writeOnly views, discriminator without const.
  const pet = await getPet({ client: fx, petId: "a/b", tags: ["x"], filter: { color: "red" }, xTrace: ["1"] });
  if (pet.status === 200) {
    assertType<Equal<typeof pet.data.nickname, string | null | undefined>>();
    assertType<Equal<typeof pet.data.status, "available" | "sold" | null | undefined>>();
    assertType<Equal<typeof pet.data.size, "small" | "large" | undefined>>();
    const kind: Animal = pet.data.kind;
    if (kind.type === "cat") assertType<Equal<typeof kind.lives, number>>();
    assertType<Equal<"secret" extends keyof Pet ? true : false, false>>();
  }
  const input: PetInput = { name: "Tom", secret: "s", kind: { type: "cat", lives: 9 } };
  await putPet({ client: fx, petId: "1", body: { ...input, nickname: null } });
  assertType<Equal<"id" extends keyof PetInput ? true : false, false>>();
  await getMatrix({ client: fx, coords: { x: 1, y: 2 } });
}

export async function misuses(): Promise<void> {
  // @ts-expect-error wrong parameter type: userId is a number
  await getUser({ client, userId: "1" });
  // @ts-expect-error missing required path parameter
  await getUser({ client });
  // @ts-expect-error missing required body field (password)
  await createUser({ client, body: { username: "a", email: "a@b", role: "admin" } });
  // @ts-expect-error unknown field in the arguments
  await getUser({ client, userId: 1, userID: 2 });
  // @ts-expect-error unknown field in the body
  await updateUser({ client, userId: 1, body: { nickname: "x", colour: "red" } });
  // @ts-expect-error not a member of the Role enum
  await listUsers({ client, role: "root" });
  // @ts-expect-error client is required
  await getHealth({});
  const r = await getUser({ client, userId: 1 });
  if (r.status === 200) {
    // @ts-expect-error a success has no `error`
    void r.error;
  }
  if (r.status === 404) {
    // @ts-expect-error reading a success body field on the 404 variant
    void r.data.username;
  }
  // @ts-expect-error 418 is not declared: its body is unknown
  if (r.status === 418) void r.error.message;
  const ok = await getUser({ client: strict, userId: 1 });
  // @ts-expect-error with throwOnError the 404 variant does not exist
  if (ok.status === 404) void ok;
  // @ts-expect-error writing a readOnly field (id) in a request body
  await putPet({ client: fx, petId: "1", body: { id: 1, name: "x", secret: "s", kind: { type: "cat", lives: 9 } } });
  const pet = await getPet({ client: fx, petId: "1" });
  if (pet.status === 200) {
    // @ts-expect-error reading a writeOnly field from a response
    void pet.data.secret;
  }
  // @ts-expect-error the discriminator value "cat" selects Cat, which has no `barks`
  const wrong: Animal = { type: "cat", barks: true };
  void wrong;
  // @ts-expect-error nullable string: not a number
  const bad: Pet = { id: 1, name: "x", nickname: 1, kind: { type: "Dog", barks: true } };
  void bad;
  // @ts-expect-error a deepObject filter takes string values
  await getPet({ client: fx, petId: "1", filter: { color: 1 } });
}
