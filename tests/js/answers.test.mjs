// The plan's questions as the phone shows them, and answers kept on the phone until the server
// has them: given offline, sent with the next sync, never lost, never sent twice for nothing.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { installFakeIndexedDB } from "./support/fake_indexeddb.mjs";
import { keep, kept, leftAfter, questionsOf, unanswered } from "../../pwa/js/shared/answers.js";
import { get, set, transaction } from "../../pwa/js/shared/store.js";
import { syncNow } from "../../pwa/js/shared/sync.js";

installFakeIndexedDB();
const realFetch = globalThis.fetch;

const HAIR = {
  id: "hair_length", label: "How do you wear your hair?", default: "shaved",
  options: [{ value: "shaved", label: "Shaved or balding" }, { value: "long", label: "Medium or long" }],
};
const GENDER = {
  id: "gender", label: "Gender", default: "man",
  options: [{ value: "man", label: "Man" }, { value: "woman", label: "Woman" }],
};
const asked = (question, answer, planned) => ({ ...question, default: undefined, answer, planned });
const PLAN = {
  version: "v1",
  answers: { hair_length: "shaved", gender: "man" },
  questions: [asked(HAIR, null, "shaved"), asked(GENDER, "man", "man")],
};

test("the plan's questions say which are unanswered; an answer kept on the phone counts as given", () => {
  const questions = questionsOf(PLAN, null);
  assert.deepEqual(unanswered(questions).map((q) => q.id), ["hair_length"]);
  assert.equal(questions[0].planned, "shaved");
  const waiting = questionsOf(PLAN, null, { hair_length: "long" });
  assert.deepEqual(unanswered(waiting), []);
  assert.deepEqual(waiting.map((q) => [q.answer, q.waiting]), [["long", true], ["man", false]]);
});

test("a plan built before the app asked: every question answered, as the plan was drawn", () => {
  const old = { version: "v0", answers: { hair_length: "long", gender: "woman" } };
  const questions = questionsOf(old, { questions: [HAIR, GENDER] });
  assert.deepEqual(questions.map((q) => [q.id, q.answer, q.label]),
    [["hair_length", "long", HAIR.label], ["gender", "woman", GENDER.label]]);
  assert.deepEqual(unanswered(questions), []);
});

test("after a send, only answers changed meanwhile stay on the phone", () => {
  assert.deepEqual(leftAfter({ hair_length: "long", gender: "woman" }, { hair_length: "long", gender: "man" }),
    { gender: "woman" });
  assert.deepEqual(leftAfter({ hair_length: "long" }, { hair_length: "long" }), {});
});

// The server: answers it stored, every request's path and body; `fail(path)` says how a call fails.
let stored;
let calls;
function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}
function server(fail = () => null) {
  globalThis.fetch = async (path, init) => {
    calls.push([init.method, path, init.body && JSON.parse(init.body)]);
    const failure = fail(path);
    if (failure === "offline") throw new TypeError("Failed to fetch");
    if (typeof failure === "number") return json(failure, { error: { code: "x", message: "No." } });
    if (path === "/api/v1/me/answers") {
      Object.assign(stored, JSON.parse(init.body).answers);
      return json(200, { answers: stored });
    }
    return json(200, { accepted: [], rejected: [], events: [], cursor: "c1", more: false, plan_version: "v1" });
  };
}
const sentAnswers = () => calls.filter(([, path]) => path === "/api/v1/me/answers").map(([, , body]) => body.answers);

beforeEach(async () => {
  await transaction(["kv", "outbox", "events"], "readwrite", (s) => {
    s.kv.clear(); s.outbox.clear(); s.events.clear();
  });
  await set("token", "device-token");
  await set("plan", PLAN);
  stored = {};
  calls = [];
});
afterEach(() => { globalThis.fetch = realFetch; });

test("no answers kept: a sync asks nothing more of the server", async () => {
  server();
  assert.equal((await syncNow()).state, "synced");
  assert.deepEqual(sentAnswers(), []);
});

test("an answer given offline stays on the phone, and reaches the server once, before the ticks", async () => {
  await keep({ hair_length: "long" });
  await keep({ gender: "woman" });
  server(() => "offline");
  assert.equal((await syncNow()).state, "offline");
  assert.deepEqual(await kept(), { hair_length: "long", gender: "woman" });
  calls = [];
  server();
  assert.equal((await syncNow()).state, "synced");
  assert.equal(calls[0][1], "/api/v1/me/answers", "sent first: the plan this sync brings follows them");
  assert.deepEqual(stored, { hair_length: "long", gender: "woman" });
  assert.deepEqual(await kept(), {});
  await syncNow();
  assert.deepEqual(sentAnswers(), [{ hair_length: "long", gender: "woman" }], "sent once");
});

test("a server error keeps the answer and lets the ticks through; a refusal for good drops it", async () => {
  await keep({ hair_length: "long" });
  server((path) => (path === "/api/v1/me/answers" ? 503 : null));
  assert.equal((await syncNow()).state, "synced");
  assert.ok(calls.some(([, path]) => path === "/api/v1/me/sync"), "the ticks went");
  assert.deepEqual(await kept(), { hair_length: "long" });
  server((path) => (path === "/api/v1/me/answers" ? 422 : null));
  assert.equal((await syncNow()).state, "synced");
  assert.deepEqual(await kept(), {});
});

test("signed out by the server: the answer waits, as the ticks do", async () => {
  await keep({ gender: "woman" });
  server(() => 401);
  assert.equal((await syncNow()).state, "signed-out");
  assert.deepEqual(await kept(), { gender: "woman" });
  assert.equal(await get("token"), "device-token");
});
