import assert from "node:assert/strict";
import { test } from "node:test";
import { describe, handOver } from "../../pwa/js/shared/kept.js";

const sam = { id: 1, name: "Sam", clinic: "North Clinic", timezone: "Europe/London" };
const alex = { id: 2, name: "Alex", clinic: "South Clinic", timezone: "Europe/London" };
const tick = (id, occurrence = "c1") => ({ id, occurrence, action: "done", at: "2026-03-20T08:00:00.000+00:00" });
const plan = { occurrences: [{ id: "c1", task: "cleanse", date: "2026-03-20" }] };
const bundle = { tasks: [{ id: "cleanse", title: "Cleanse your scalp" }] };
const held = (more) => ({ token: "old", profile: sam, disconnected: false, cursor: "c", outbox: [], plan, bundle, kept: [], ...more });

test("a first plan keeps nothing apart", () => {
  assert.deepEqual(handOver({ outbox: [], kept: [] }, sam), { keepOutbox: false, back: [], kept: [] });
});

test("the same client again keeps the outbox, and signs the old device out if it still works", () => {
  const change = handOver(held({ outbox: [tick("a")] }), sam);
  assert.equal(change.keepOutbox, true);
  assert.deepEqual(change.kept.map((g) => [g.client.id, g.token, g.events]), [[1, "old", []]]);
  assert.deepEqual(handOver(held({ disconnected: true }), sam).kept, []);
});

test("another client's plan keeps the old ticks apart, with the old token while it works", () => {
  const change = handOver(held({ outbox: [tick("a")] }), alex);
  assert.equal(change.keepOutbox, false);
  assert.deepEqual(change.back, []);
  const [group] = change.kept;
  assert.deepEqual([group.client, group.token, group.cursor], [{ id: 1, name: "Sam", clinic: "North Clinic" }, "old", "c"]);
  assert.deepEqual(group.events, [{ ...tick("a"), task: "Cleanse your scalp", date: "2026-03-20" }]);
  assert.equal(handOver(held({ outbox: [tick("a")], disconnected: true }), alex).kept[0].token, null);
});

test("ticks kept for a client come back with that client's new link, as they were made", () => {
  const kept = [{ id: "g", client: { id: 2, name: "Alex", clinic: "South Clinic" }, token: null, events: describe([tick("a")], plan, bundle) }];
  const change = handOver(held({ kept, disconnected: true }), alex);
  assert.deepEqual(change.back, [tick("a")]);
  assert.deepEqual(change.kept, []);  // nothing left to send or show
  const elsewhere = handOver({ outbox: [], kept }, sam);  // a third client: they stay apart
  assert.deepEqual([elsewhere.back, elsewhere.kept], [[], kept]);
});

test("a tick of an occurrence the plan doesn't know is kept without a name", () => {
  assert.deepEqual(describe([tick("a", "zz")], plan, bundle), [{ ...tick("a", "zz"), task: null, date: null }]);
});

test("signing out keeps the unsent ticks with the token, to send them and then sign out", () => {
  const change = handOver(held({ outbox: [tick("a")] }), null);
  assert.equal(change.keepOutbox, false);
  assert.deepEqual(change.kept.map((g) => [g.client.name, g.token, g.events.map((e) => e.id)]), [["Sam", "old", ["a"]]]);
});
