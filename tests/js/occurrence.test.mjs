import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { state } from "../../pwa/js/shared/occurrence.js";

const DUE_END = "2026-03-20T14:45:00+00:00";
const at = (iso) => Date.parse(iso);

test("a done task is done, whether its time is up or not, optional or not", () => {
  for (const optional of [false, true]) {
    assert.equal(state(true, optional, DUE_END, at("2026-03-20T10:00:00Z")), "done");
    assert.equal(state(true, optional, DUE_END, at("2026-03-21T10:00:00Z")), "done");
  }
});

test("a task not done is open until its due end, then missed", () => {
  assert.equal(state(false, false, DUE_END, at("2026-03-20T14:44:59.999Z")), "open");
  assert.equal(state(false, false, DUE_END, at("2026-03-20T14:45:00Z")), "missed");  // the end itself is past
  assert.equal(state(false, false, DUE_END, at("2026-03-21T08:00:00Z")), "missed");
});

test("an optional task is never missed, only not done", () => {
  assert.equal(state(false, true, DUE_END, at("2026-03-20T10:00:00Z")), "open");
  assert.equal(state(false, true, DUE_END, at("2026-03-20T14:45:00Z")), "optional-not-done");
});

test("the due end is an instant: its offset counts, not its clock time", () => {
  const now = at("2026-03-20T14:30:00Z");
  assert.equal(state(false, false, "2026-03-20T15:00:00+01:00", now), "missed");  // 14:00 UTC
  assert.equal(state(false, false, "2026-03-20T10:00:00-05:00", now), "open");  // 15:00 UTC
  assert.equal(state(false, false, "2026-03-20T14:30:00.001Z", now), "open");
});

test("the CLI gives the Python parity test each case's state, in order", () => {
  const cli = fileURLToPath(new URL("./occurrence_cli.mjs", import.meta.url));
  const cases = [
    [true, false, DUE_END, at("2026-03-21T00:00:00Z")],
    [false, false, DUE_END, at("2026-03-20T10:00:00Z")],
    [false, true, DUE_END, at("2026-03-21T00:00:00Z")],
    [false, false, DUE_END, at("2026-03-21T00:00:00Z")],
  ];
  const output = execFileSync(process.execPath, [cli], { input: JSON.stringify(cases), encoding: "utf8" });
  assert.deepEqual(JSON.parse(output), ["done", "open", "optional-not-done", "missed"]);
});
