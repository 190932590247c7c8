import assert from "node:assert/strict";
import "./support/english.mjs";
import { test } from "node:test";
import { longDate } from "../../pwa/js/shared/format.js";
import { exportFileName } from "../../pwa/js/page/my_data.js";

test("the export is named after the phone's own date", () => {
  const lateEvening = Date.parse("2026-03-20T23:30:00Z");
  assert.equal(exportFileName(lateEvening, "Europe/London"), "aftercue-my-data-2026-03-20.json");
  assert.equal(exportFileName(lateEvening, "Europe/Berlin"), "aftercue-my-data-2026-03-21.json");
});

test("dates a client reads are written out", () => {
  assert.equal(longDate("2026-04-19T12:00:00+00:00", "Europe/London"), "19 April 2026");
  assert.equal(longDate("2026-04-19T23:30:00+00:00", "Australia/Sydney"), "20 April 2026");
});
