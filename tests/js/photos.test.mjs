// Photos waiting on the phone: each is sent with the id made here, marked sent once the server
// has it (201, or 200: it had it already), kept waiting while offline or the server fails,
// and marked refused, with the server's reason, when it never will take it.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { installFakeIndexedDB } from "./support/fake_indexeddb.mjs";
import { keepPhoto, photos, releaseHeld, sendPhotos } from "../../pwa/js/shared/photos.js";
import { transaction } from "../../pwa/js/shared/store.js";

installFakeIndexedDB();
const realFetch = globalThis.fetch;
let sent;

function server(answer) {
  globalThis.fetch = async (path, init) => {
    sent.push({ path, type: init.headers["Content-Type"], auth: init.headers.Authorization, method: init.method });
    const status = answer(sent.length);
    if (status === "offline") throw new TypeError("Failed to fetch");
    const body = status < 300 ? {} : { error: { code: "unusable_image", message: "It is not a JPEG, PNG or WebP image." } };
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  };
}

const states = async () => (await photos()).map((p) => [p.state, p.reason ?? null]);

beforeEach(async () => {
  await transaction(["photos"], "readwrite", (s) => { s.photos.clear(); });
  sent = [];
});
afterEach(() => { globalThis.fetch = realFetch; });

test("offline a photo waits; online it is sent once, by its own id and time", async () => {
  const photo = await keepPhoto(new Blob(["jpeg"], { type: "image/jpeg" }), new Date(Date.UTC(2026, 2, 20, 8)));
  server(() => "offline");
  await assert.rejects(sendPhotos("token"), TypeError);
  assert.deepEqual(await states(), [["waiting", null]]);
  server(() => 201);
  await sendPhotos("token");
  await sendPhotos("token");  // nothing left to send
  assert.deepEqual(await states(), [["uploaded", null]]);
  const [, second] = sent;
  assert.equal(sent.length, 2);
  assert.equal(second.method, "PUT");
  assert.match(second.path, new RegExp(`^/api/v1/me/photos/${photo.id}\\?taken_at=2026-03-20T`));
  assert.equal(second.type, "image/jpeg");
  assert.equal(second.auth, "Bearer token");
});

test("a server in trouble keeps it waiting; a refusal is kept with its reason", async () => {
  await keepPhoto(new Blob(["x"], { type: "image/jpeg" }));
  for (const status of [500, 503, 429, 401]) {
    server(() => status);
    await sendPhotos("token");
    assert.deepEqual(await states(), [["waiting", null]], `HTTP ${status}`);
  }
  server(() => 422);
  await sendPhotos("token");
  assert.deepEqual(await states(), [["refused", "It is not a JPEG, PNG or WebP image."]]);
});

test("sent again after an answer that never came back: the server's 200 marks it sent", async () => {
  await keepPhoto(new Blob(["x"], { type: "image/jpeg" }));
  server(() => 200);
  await sendPhotos("token");
  assert.deepEqual(await states(), [["uploaded", null]]);
});

test("a photo added to a check-in waits for it: then sent with its id, or on its own if the form was left", async () => {
  const answered = await keepPhoto(new Blob(["a"], { type: "image/jpeg" }), new Date(Date.UTC(2026, 2, 20, 8)), "c-sent");
  const left = await keepPhoto(new Blob(["b"], { type: "image/jpeg" }), new Date(Date.UTC(2026, 2, 20, 9)), "c-left");
  server(() => 201);
  await sendPhotos("token");
  assert.equal(sent.length, 0);  // held: nothing reaches the clinic before the answers
  await releaseHeld(new Set(["c-sent"]));  // "c-sent" kept on the phone, "c-left" never was
  await sendPhotos("token");
  const query = (id) => new URL(sent.find((s) => s.path.includes(id)).path, "http://x").searchParams;
  assert.equal(query(answered.id).get("check_in_id"), "c-sent");
  assert.equal(query(left.id).has("check_in_id"), false);
  assert.deepEqual(await states(), [["uploaded", null], ["uploaded", null]]);
});
