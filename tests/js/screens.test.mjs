import assert from "node:assert/strict";
import { test } from "node:test";
import { addDays, daysBetween, localDate, time, timeLeft } from "../../pwa/js/shared/format.js";
import { avoidModel, progressModel, refusedModel, todayModel } from "../../pwa/js/shared/screens.js";

const TZ = "Europe/London";
const at = (iso) => Date.parse(iso);

const bundle = {
  tasks: [
    { id: "cleanse", title: "Cleanse your scalp", product: "Tonic", how: "Gently." },
    { id: "balm", title: "Apply balm", how: "Thinly." },
  ],
  restrictions: [
    { id: "no-shaving", title: "No shaving", detail: "Until day 5.", category: "shaving" },
    { id: "no-swimming", title: "No swimming", detail: "A month.", category: "swimming" },
  ],
  cards: [{ id: "redness", kind: "expect", title: "Redness is normal", body: "It settles." }],
};

function occurrence(id, task, date, slot, atIso, dueEnd, follows = null, optional = false) {
  return { id, task, date, slot, at: atIso, due_end: dueEnd, follows, optional };
}

const plan = {
  version: "v1", timezone: TZ,
  sessions: [{ id: "1", number: 1, start: "2026-03-18T09:00:00+00:00", end: "2026-03-18T13:30:00+00:00", final: false },
    { id: "2", number: 2, start: "2026-04-08T09:00:00+01:00", end: "2026-04-08T13:30:00+01:00", final: true }],
  occurrences: [
    occurrence("c1", "cleanse", "2026-03-19", "evening", "2026-03-19T22:00:00+00:00", "2026-03-19T23:00:00+00:00"),
    occurrence("c2", "cleanse", "2026-03-20", "morning", "2026-03-20T07:30:00+00:00", "2026-03-20T14:45:00+00:00"),
    occurrence("b2", "balm", "2026-03-20", "morning", "2026-03-20T07:30:00+00:00", "2026-03-20T14:45:00+00:00", "c2"),
    occurrence("c3", "cleanse", "2026-03-20", "midday", "2026-03-20T14:45:00+00:00", "2026-03-20T22:00:00+00:00", null, true),
    occurrence("c4", "cleanse", "2026-03-20", "evening", "2026-03-20T22:00:00+00:00", "2026-03-20T23:00:00+00:00"),
  ],
  restrictions: [
    { id: "no-shaving", start: "2026-03-18T13:30:00+00:00", end: "2026-03-22T00:00:00+00:00" },
    { id: "no-swimming", start: "2026-04-08T13:30:00+01:00", end: "2026-05-09T00:00:00+01:00" },
  ],
  milestones: [{ restriction: "no-shaving", at: "2026-03-22T00:00:00+00:00", date: "2026-03-22", text: "You can shave again" }],
  cards: [{ id: "redness", start: "2026-03-18T13:30:00+00:00", end: "2026-03-20T00:00:00+00:00" }],
};

test("today groups the day's tasks by slot and keeps balm behind its cleanse", () => {
  const model = todayModel(plan, bundle, [], at("2026-03-20T10:00:00Z"));
  assert.deepEqual(model.slots.map((s) => [s.name, s.time, s.items.map((i) => i.title)]), [
    ["Morning", "07:30", ["Cleanse your scalp", "Apply balm"]],
    ["Midday", "14:45", ["Cleanse your scalp"]],
    ["Evening", "22:00", ["Cleanse your scalp"]],
  ]);
  const [cleanse, balm] = model.slots[0].items;
  assert.equal(balm.blockedBy, "Cleanse your scalp");
  assert.equal(cleanse.blockedBy, null);
  // Morning cleanse and balm, evening cleanse; the midday one is optional. Day 3 after session 1:
  // day 1 is the 18th, the session's own day.
  assert.equal(model.line, "Day 3 after session 1 · 0 of 3 done");
  assert.deepEqual(model.progress, { total: 3, done: 0, missed: 0, label: "Today: 0 of 3 done" });
  assert.deepEqual(model.yesterday.map((s) => s.items.map((i) => i.id)), [["c1"]]);
});

test("a tick unblocks the balm and counts; an untick after it undoes it", () => {
  const events = [{ id: "e1", occurrence: "c2", action: "done", at: "2026-03-20T07:40:00.000Z" }];
  let model = todayModel(plan, bundle, events, at("2026-03-20T10:00:00Z"));
  assert.equal(model.slots[0].items[1].blockedBy, null);
  assert.equal(model.line, "Day 3 after session 1 · 1 of 3 done");
  events.push({ id: "e2", occurrence: "c2", action: "undone", at: "2026-03-20T07:41:00.000Z" });
  model = todayModel(plan, bundle, events, at("2026-03-20T10:00:00Z"));
  assert.equal(model.slots[0].items[0].done, false);
});

test("unticking a step a later ticked step follows asks first, naming both", () => {
  const cleanse = { id: "e1", occurrence: "c2", action: "done", at: "2026-03-20T07:40:00.000Z" };
  const balm = { id: "e2", occurrence: "b2", action: "done", at: "2026-03-20T07:45:00.000Z" };
  const items = (events) => todayModel(plan, bundle, events, at("2026-03-20T10:00:00Z")).slots[0].items;
  assert.deepEqual(items([cleanse]).map((i) => i.untickQuestion), [null, null]);
  assert.deepEqual(items([cleanse, balm]).map((i) => i.untickQuestion),
    ["You ticked “Apply balm” after this step. Untick “Cleanse your scalp” anyway?", null]);
  const balmUndone = { ...balm, id: "e3", action: "undone", at: "2026-03-20T07:50:00.000Z" };
  assert.equal(items([cleanse, balm, balmUndone])[0].untickQuestion, null);
});

test("a task whose time has passed undone is missed, an optional one never is", () => {
  const model = todayModel(plan, bundle, [], at("2026-03-20T22:30:00Z"));
  const items = model.slots.flatMap((s) => s.items);
  assert.deepEqual(items.filter((i) => i.missed).map((i) => i.id), ["c2", "b2"]);
  assert.deepEqual(items.map((i) => [i.id, i.state]),
    [["c2", "missed"], ["b2", "missed"], ["c3", "optional-not-done"], ["c4", "open"]]);
  const progress = progressModel(plan, bundle, [], at("2026-03-20T22:30:00Z"));
  assert.deepEqual(progress.days.map((d) => [d.date, d.missed.length, d.open]), [
    ["2026-03-20", 2, 1],
    ["2026-03-19", 1, 0],
  ]);
});

test("avoid lists what holds now with the time left, and what lifts later", () => {
  const model = avoidModel(plan, bundle, at("2026-03-20T10:00:00Z"));
  assert.deepEqual(model.active.map((r) => [r.title, r.left]), [["No shaving", "2 more days"]]);
  assert.deepEqual(model.lifts, [{ date: "2026-03-22", day: "Sun 22 Mar", items: ["You can shave again."] }]);
  const onTheDay = avoidModel(plan, bundle, at("2026-03-22T08:00:00Z"));
  assert.deepEqual(onTheDay.active, []);
  assert.deepEqual(onTheDay.today, ["You can shave again."]);
  const later = avoidModel(plan, bundle, at("2026-04-10T08:00:00Z"));
  assert.deepEqual(later.active.map((r) => r.left), ["until Fri 8 May"]);
});

test("progress shows upcoming sessions and the cards that apply now", () => {
  const model = progressModel(plan, bundle, [], at("2026-03-19T10:00:00Z"));
  assert.deepEqual(model.sessions.map((s) => [s.number, s.day, s.time, s.final]), [[2, "Wed 8 Apr", "09:00", true]]);
  assert.deepEqual(model.cards.map((c) => c.title), ["Redness is normal"]);
});

test("dates are local to the plan's zone, across a DST change", () => {
  assert.equal(localDate(at("2026-03-28T23:30:00Z"), TZ), "2026-03-28");
  assert.equal(localDate(at("2026-03-29T23:30:00Z"), TZ), "2026-03-30"); // BST by then
  assert.equal(time("2026-03-29T07:30:00+01:00", TZ), "07:30");
  assert.equal(addDays("2026-03-28", 2), "2026-03-30");
  assert.equal(daysBetween("2026-03-28", "2026-04-02"), 5);
});

test("time left reads naturally", () => {
  const now = at("2026-03-20T10:00:00Z");
  assert.equal(timeLeft("2026-03-21T00:00:00+00:00", now, TZ), "last day today");
  assert.equal(timeLeft("2026-03-23T00:00:00+00:00", now, TZ), "3 more days");
  assert.equal(timeLeft("2026-04-20T00:00:00+01:00", now, TZ), "until Sun 19 Apr");
  assert.equal(timeLeft("2026-03-20T13:30:00+00:00", now, TZ), "until 13:30 today");
  assert.equal(timeLeft("2026-03-21T13:30:00+00:00", now, TZ), "until 13:30 tomorrow");
  assert.equal(timeLeft(null, now, TZ), "for now");
});

test("a refused tick is named as Today names its task", () => {
  const refused = [{ id: "e9", occurrence: "b2", action: "done", reason: "Not yet." }, { id: "e8", occurrence: "gone", action: "undone", reason: "Unknown." }];
  assert.deepEqual(refusedModel(plan, bundle, refused), [
    { id: "e9", title: "Apply balm", day: "Fri 20 Mar", action: "done", reason: "Not yet." },
    { id: "e8", title: "A task", day: null, action: "undone", reason: "Unknown." },
  ]);
});

test("today never offers a later day's task", () => {
  // The 19th, half an hour before midnight: the 20th's morning is not offered yet.
  const model = todayModel(plan, bundle, [], at("2026-03-19T23:30:00Z"));
  assert.deepEqual(model.slots.flatMap((s) => s.items).map((i) => [i.id, i.date]), [["c1", "2026-03-19"]]);
});
