import assert from "node:assert/strict";
import { test } from "node:test";
import { compareEvents, deviceTime, doneSet, fold } from "../../pwa/js/shared/fold.js";

const event = (id, occurrence, action, at) => ({ id, occurrence, action, at });

test("the latest event by device time decides", () => {
  const events = [
    event("b", "o1", "done", "2026-03-20T08:00:00.000+00:00"),
    event("a", "o1", "undone", "2026-03-20T09:00:00.000+01:00"), // the same instant as b
    event("c", "o1", "undone", "2026-03-20T07:59:59.999Z"),
  ];
  // a and b tie on time; "b" > "a", so b wins: done.
  assert.deepEqual(fold(events), new Map([["o1", "done"]]));
});

test("order of arrival does not matter", () => {
  const events = [
    event("1", "o", "done", "2026-03-20T08:00:00.000Z"),
    event("2", "o", "undone", "2026-03-20T08:00:01.000Z"),
    event("3", "p", "done", "2026-03-20T10:00:00.000Z"),
  ];
  const reversed = [...events].reverse();
  assert.deepEqual(fold(events), fold(reversed));
  assert.deepEqual(doneSet(events), new Set(["p"]));
});

test("ids compare case-insensitively, as lower-case UUIDs", () => {
  const at = "2026-03-20T08:00:00.000Z";
  assert.equal(compareEvents(event("ABC", "o", "done", at), event("abd", "o", "done", at)), -1);
  assert.equal(compareEvents(event("abc", "o", "done", at), event("ABC", "o", "done", at)), 0);
});

test("device time is RFC 3339 with the device's offset, to the millisecond", () => {
  const text = deviceTime(new Date(Date.UTC(2026, 2, 20, 8, 5, 9, 7)));
  assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
  assert.equal(Date.parse(text), Date.UTC(2026, 2, 20, 8, 5, 9, 7));
});
