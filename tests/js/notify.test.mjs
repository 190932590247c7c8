import assert from "node:assert/strict";
import "./support/english.mjs";
import { test } from "node:test";
import { NEUTRAL, notificationFor } from "../../pwa/js/sw/notify.js";

const PAYLOAD = {
  title: "Morning aftercare",
  body: "Cleanse your scalp, then apply balm",
  tag: "2026-03-20:morning",
  reminder: 42,
  occurrences: ["o1", "o2"],
  url: "/",
  snooze: true,
};

test("a reminder's payload becomes its notification", () => {
  const { title, options } = notificationFor(JSON.stringify(PAYLOAD));
  assert.equal(title, "Morning aftercare");
  assert.equal(options.body, "Cleanse your scalp, then apply balm");
  assert.equal(options.tag, "2026-03-20:morning");
  assert.deepEqual(options.data, PAYLOAD);
  assert.deepEqual(options.actions, [
    { action: "done", title: "Done" },
    { action: "snooze", title: "Snooze 30 min" },
  ]);
});

test("no snooze button once the reminder can't be snoozed again", () => {
  const { options } = notificationFor(JSON.stringify({ ...PAYLOAD, snooze: false }));
  assert.deepEqual(options.actions.map((a) => a.action), ["done"]);
});

test("no done button without tasks to mark", () => {
  const { options } = notificationFor(JSON.stringify({ ...PAYLOAD, occurrences: [3, null] }));
  assert.deepEqual(options.data.occurrences, []);
  assert.deepEqual(options.actions.map((a) => a.action), ["snooze"]);
});

test("anything else still shows a neutral notification", () => {
  for (const text of [null, "", "not json", "[]", "null", '"text"', '{"body": "no title"}', '{"title": 7}']) {
    const { title, options } = notificationFor(text);
    assert.equal(title, NEUTRAL.title, text);
    assert.equal(options.body, "You have an aftercare task due.");
    assert.equal(options.tag, undefined);
    assert.equal(options.actions, undefined);
    assert.equal(options.data.url, "/");
  }
});

test("a payload without a tag or body is shown as it is", () => {
  const { title, options } = notificationFor(JSON.stringify({ title: "Aftercare" }));
  assert.equal(title, "Aftercare");
  assert.equal(options.body, "");
  assert.equal("tag" in options, false);
  assert.deepEqual(options.actions, []);
});

test("the worker's own words, a reminder's buttons and the neutral text, are in the client's language", async () => {
  const { use } = await import("../../pwa/js/shared/i18n.js");
  const { catalog, english } = await import("./support/english.mjs");
  use("ar", catalog("ar"), english);
  try {
    const { options } = notificationFor(JSON.stringify(PAYLOAD));
    assert.deepEqual(options.actions.map((a) => a.title), ["تمّت", "أجّل 30 دقيقة"]);
    assert.equal(notificationFor("not json").options.body, "لديك مهمة رعاية حان موعدها.");
  } finally {
    use("en", english);
  }
});
