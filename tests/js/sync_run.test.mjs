// The sync run against an in-memory IndexedDB and a server that fails in every way a network
// can: a tick leaves the outbox only once the server has acknowledged it, and is never lost.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { installFakeIndexedDB } from "./support/fake_indexeddb.mjs";
import { pending, record } from "../../pwa/js/shared/outbox.js";
import { all, set, transaction } from "../../pwa/js/shared/store.js";
import { syncNow } from "../../pwa/js/shared/sync.js";

installFakeIndexedDB();
const realFetch = globalThis.fetch;

// The server's side: the event ids it holds (its sync is idempotent by id) and each request's.
let stored;
let requests;

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

// A sync endpoint that stores what it is sent, then answers with `reply(events)` (default:
// all acknowledged) or fails as `fail(call, events)` says: "offline" before it arrives, "lost"
// after it was stored, or an HTTP status.
function server({ reply, fail } = {}) {
  globalThis.fetch = async (path, init) => {
    assert.equal(path, "/api/v1/me/sync");
    const { events } = JSON.parse(init.body);
    requests.push(events.map((e) => e.id));
    const failure = fail?.(requests.length, events);
    if (failure === "offline") throw new TypeError("Failed to fetch");
    if (typeof failure === "number") return json(failure, { error: { code: "x", message: "No." } });
    const answer = { accepted: events.map((e) => e.id), rejected: [], ...reply?.(events) };
    for (const id of answer.accepted) stored.add(id);
    if (failure === "lost") throw new TypeError("Failed to fetch");  // stored, answer never came
    return json(200, { events: [], cursor: "c1", more: false, plan_version: "v1", ...answer });
  };
}

async function ticks(count) {
  const made = [];
  for (let n = 0; n < count; n++) made.push((await record(`occ${n}`, "done", new Date(Date.UTC(2026, 2, 20, 8, n)))).id);
  return made;
}

const outboxIds = async () => (await pending()).map((e) => e.id);

beforeEach(async () => {
  await transaction(["kv", "outbox", "events"], "readwrite", (s) => {
    s.kv.clear(); s.outbox.clear(); s.events.clear();
  });
  await set("token", "device-token");
  await set("plan", { version: "v1" });  // the reply's plan_version: no plan refresh
  stored = new Set();
  requests = [];
});
afterEach(() => { globalThis.fetch = realFetch; });

test("offline, every tick waits in the outbox; online again, each reaches the server once", async () => {
  const made = await ticks(3);
  server({ fail: () => "offline" });
  assert.equal((await syncNow()).state, "offline");
  assert.deepEqual(await outboxIds(), made);
  server();
  assert.equal((await syncNow()).state, "synced");
  assert.deepEqual(await outboxIds(), []);
  assert.deepEqual([...stored], made);
});

test("a server error or a refusal of the device keeps every tick", async () => {
  const made = await ticks(2);
  for (const [status, state] of [[500, "error"], [503, "error"], [429, "error"], [401, "signed-out"]]) {
    server({ fail: () => status });
    assert.equal((await syncNow()).state, state, `HTTP ${status}`);
    assert.deepEqual(await outboxIds(), made, `HTTP ${status}`);
  }
  assert.equal(stored.size, 0);
});

test("an answer lost on the way back: the ticks are sent again, and stored once", async () => {
  const made = await ticks(3);
  server({ fail: (call) => (call === 1 ? "lost" : null) });
  assert.equal((await syncNow()).state, "offline");
  assert.deepEqual(await outboxIds(), made, "not acknowledged, so kept");
  assert.equal((await syncNow()).state, "synced");
  assert.deepEqual(requests, [made, made]);
  assert.deepEqual(await outboxIds(), []);
  assert.deepEqual([...stored], made);
});

test("only the acknowledged ticks leave the outbox", async () => {
  const made = await ticks(3);
  // The server takes the first tick of each request, and the connection fails on the second.
  server({ reply: (events) => ({ accepted: [events[0].id] }), fail: (call) => (call === 2 ? "offline" : null) });
  assert.equal((await syncNow()).state, "offline");
  assert.deepEqual(await outboxIds(), made.slice(1));
  assert.deepEqual([...stored], made.slice(0, 1));
});

test("a tick the server rejects for good leaves the outbox and the log, with the rest sent", async () => {
  const made = await ticks(2);
  const reason = { id: made[1], code: "not_yet_due", reason: "Its day has not begun." };
  server({ reply: () => ({ accepted: [made[0]], rejected: [reason] }) });
  assert.equal((await syncNow()).state, "synced");
  assert.deepEqual(await outboxIds(), []);
  assert.deepEqual((await all("events")).map((e) => e.id), [made[0]]);
});
