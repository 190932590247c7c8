// Check-ins on the phone: the day after the session counted as the server counts it, red flags
// decided at once, and the answers kept until the server has them, sent once.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { installFakeIndexedDB } from "./support/fake_indexeddb.mjs";
import { checkins, dayAfterSession, keepCheckin, makeCheckin, sendCheckins } from "../../pwa/js/shared/checkins.js";
import { transaction } from "../../pwa/js/shared/store.js";

installFakeIndexedDB();
const realFetch = globalThis.fetch;

const SESSIONS = [
  { start: "2026-03-17T09:00:00+00:00", end: "2026-03-17T13:30:00+00:00" },
  // Ends past midnight: its day 1 is the day it ends.
  { start: "2026-04-01T21:00:00+01:00", end: "2026-04-02T00:30:00+01:00" },
];
const RULES = [
  { id: "pus", question: "oozing", answers: ["pus"] },
  { id: "spreading", question: "redness", answers: ["spreading"], from_day: 4 },
];

test("the day after the latest session begun, day 1 the day it ended", () => {
  assert.equal(dayAfterSession(SESSIONS, "2026-03-17"), 1);
  assert.equal(dayAfterSession(SESSIONS, "2026-03-20"), 4);
  assert.equal(dayAfterSession(SESSIONS, "2026-04-01"), 0);  // the evening it began
  assert.equal(dayAfterSession(SESSIONS, "2026-04-02"), 1);
  assert.equal(dayAfterSession(SESSIONS, "2026-04-30"), 29);
  assert.equal(dayAfterSession(SESSIONS, "2026-03-10"), -6);  // before the first: counted back
});

test("a check-in carries its red flags, decided on the phone", () => {
  const made = makeCheckin("o1", { oozing: "pus", redness: "spreading" }, RULES, 3, new Date(Date.UTC(2026, 2, 19, 20)));
  assert.deepEqual(made.red_flags, ["pus"]);
  assert.match(made.id, /^[0-9a-f-]{36}$/);
  assert.equal(made.sent, false);
  assert.deepEqual(makeCheckin("o2", { redness: "spreading" }, RULES, 4).red_flags, ["spreading"]);
});

let calls;
function server(status) {
  globalThis.fetch = async (path, init) => {
    calls.push([init.method, path, JSON.parse(init.body)]);
    if (status === "offline") throw new TypeError("Failed to fetch");
    return new Response(JSON.stringify(status === 200 ? { checkins: [] } : { error: { code: "invalid_fields", message: "no" } }),
      { status, headers: { "Content-Type": "application/json" } });
  };
}
beforeEach(async () => {
  calls = [];
  await transaction(["kv"], "readwrite", (s) => s.kv.clear());
});
afterEach(() => { globalThis.fetch = realFetch; });

test("kept offline, sent once online, never again", async () => {
  const made = makeCheckin("o1", { oozing: "pus" }, RULES, 2);
  await keepCheckin(made);
  server("offline");
  await assert.rejects(sendCheckins("token"));
  assert.equal((await checkins())[0].sent, false);
  server(200);
  assert.equal(await sendCheckins("token"), 1);
  assert.deepEqual(calls.at(-1), ["POST", "/api/v1/me/checkins",
    { checkins: [{ id: made.id, occurrence: "o1", answers: { oozing: "pus" }, at: made.at }] }]);
  assert.equal(await sendCheckins("token"), 0);
  assert.equal(calls.length, 2);
  assert.equal((await checkins())[0].sent, true);
});

test("refused for good, it is marked so and not sent again", async () => {
  await keepCheckin(makeCheckin("gone", { oozing: "none" }, RULES, 2));
  server(422);
  assert.equal(await sendCheckins("token"), 1);
  assert.equal((await checkins())[0].refused, true);
  assert.equal(await sendCheckins("token"), 0);
});
