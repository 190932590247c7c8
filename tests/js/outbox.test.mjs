import assert from "node:assert/strict";
import { test } from "node:test";
import { makeEvent, settlement } from "../../pwa/js/shared/outbox.js";

test("a tick becomes an event with a fresh UUID and the device time", () => {
  const a = makeEvent("occ1", "done", new Date(Date.UTC(2026, 2, 20, 8)));
  const b = makeEvent("occ1", "done", new Date(Date.UTC(2026, 2, 20, 8)));
  assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a.id, b.id);
  assert.equal(a.occurrence, "occ1");
  assert.equal(a.action, "done");
  assert.equal(Date.parse(a.at), Date.UTC(2026, 2, 20, 8));
});

test("only acknowledged ticks leave the outbox", () => {
  const reply = {
    accepted: ["a", "b"],
    rejected: [{ id: "c", code: "unknown_occurrence", reason: "…" }],
    events: [{ id: "x", occurrence: "o", action: "done", at: "2026-03-20T08:00:00.000Z" }],
    cursor: "YzE6Mw",
    more: false,
  };
  const sent = [{ id: "c", occurrence: "o9", action: "done", at: "2026-03-20T08:00:00.000Z" }];
  assert.deepEqual(settlement(reply, sent), {
    outboxDeletes: ["a", "b", "c"],
    eventDeletes: ["c"],
    eventPuts: reply.events,
    cursor: "YzE6Mw",
    refused: [{ id: "c", code: "unknown_occurrence", reason: "…", occurrence: "o9", action: "done" }],
  });
});

test("an empty reply changes nothing but the cursor", () => {
  const change = settlement({ accepted: [], rejected: [], events: [], cursor: "c", more: false });
  assert.deepEqual(change, { outboxDeletes: [], eventDeletes: [], eventPuts: [], cursor: "c", refused: [] });
});
