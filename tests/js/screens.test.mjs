import assert from "node:assert/strict";
import "./support/english.mjs";
import { test } from "node:test";
import { addDays, daysBetween, localDate, time, timeLeft } from "../../pwa/js/shared/format.js";
import { calendar } from "../../pwa/js/shared/calendar.js";
import { avoidModel, lifted, progressModel, refusedModel, todayModel } from "../../pwa/js/shared/screens.js";
import { CATEGORIES, category } from "../../pwa/js/shared/categories.js";
import { ICONS } from "../../pwa/js/page/views/category_icon.js";

const LATE = "Later than your usual bedtime, because your session ended late: do it before you sleep.";
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

const line = (now, events = []) => todayModel(plan, bundle, events, at(now)).line;

test("the header says where the client is in healing, day 1 being the session's own day", () => {
  assert.equal(line("2026-03-14T10:00:00Z"), "4 days before session 1 · Nothing to do today");
  assert.equal(line("2026-03-17T10:00:00Z"), "Session 1 tomorrow · Nothing to do today");
  assert.equal(line("2026-03-18T15:00:00Z"), "Session 1 today · Nothing to do today");
  assert.equal(line("2026-03-19T10:00:00Z"), "Day 2 after session 1 · 0 of 1 done");
  assert.equal(line("2026-03-25T10:00:00Z"), "Day 8 after session 1 · Nothing to do today");
  assert.equal(line("2026-04-08T10:00:00Z"), "Session 2 today · Nothing to do today");
  // After the final session and its last task, no day count pretends healing goes on.
  assert.equal(line("2026-05-20T10:00:00Z"), "Your aftercare tasks ended on Fri 20 Mar · Nothing to do today");
});

test("the header counts required tasks and says the missed ones as missed, never as to do", () => {
  const cleanse = { id: "e1", occurrence: "c2", action: "done", at: "2026-03-20T07:40:00.000Z" };
  assert.equal(line("2026-03-20T22:30:00Z"), "Day 3 after session 1 · 0 of 3 done · 2 missed");
  assert.equal(line("2026-03-20T23:30:00Z"), "Day 3 after session 1 · 0 of 3 done · 3 missed");
  assert.equal(line("2026-03-20T23:30:00Z", [cleanse]), "Day 3 after session 1 · 1 of 3 done · 2 missed");
  const all = ["c2", "b2", "c4"].map((o, n) => ({ id: `a${n}`, occurrence: o, action: "done", at: "2026-03-20T08:00:00.000Z" }));
  assert.equal(line("2026-03-20T22:30:00Z", all), "Day 3 after session 1 · All 3 done");
  const model = todayModel(plan, bundle, all, at("2026-03-20T22:30:00Z"));
  assert.deepEqual(model.progress, { total: 3, done: 3, missed: 0, label: "Today: All 3 done" });
  assert.equal(todayModel(plan, bundle, [], at("2026-03-25T10:00:00Z")).progress, null);
});

test("each row says its state in words, and why a step waits", () => {
  const words = (now, events = []) => todayModel(plan, bundle, events, at(now)).slots
    .flatMap((s) => s.items).map((i) => [i.id, i.said.word, i.said.why]);
  const waits = "Do “Cleanse your scalp” first.";
  assert.deepEqual(words("2026-03-20T10:00:00Z"),
    [["c2", "To do", ""], ["b2", "Waiting", waits], ["c3", "Optional", ""], ["c4", "To do", ""]]);
  const cleanse = { id: "e1", occurrence: "c2", action: "done", at: "2026-03-20T07:40:00.000Z" };
  assert.deepEqual(words("2026-03-20T22:30:00Z", [cleanse]),
    [["c2", "Done", ""], ["b2", "Missed", ""], ["c3", "Optional", ""], ["c4", "To do", ""]]);
  assert.deepEqual(words("2026-03-20T22:30:00Z").slice(0, 2), [["c2", "Missed", ""], ["b2", "Missed", waits]]);
});

test("the how-to shows unasked on a task's first occurrence, and on its first row while never ticked", () => {
  const open = (now, events = []) => {
    const model = todayModel(plan, bundle, events, at(now));
    return [...model.slots, ...model.yesterday].flatMap((s) => s.items).filter((i) => i.howOpen).map((i) => i.id);
  };
  assert.deepEqual(open("2026-03-19T10:00:00Z"), ["c1"]);  // the course's first cleanse
  // The 20th: b2 is the first balm; the cleanse, never ticked, opens on its first row today.
  assert.deepEqual(open("2026-03-20T10:00:00Z"), ["c2", "b2", "c1"]);
  const ticked = { id: "e1", occurrence: "c1", action: "done", at: "2026-03-19T22:10:00.000Z" };
  assert.deepEqual(open("2026-03-20T10:00:00Z", [ticked]), ["b2"]);
  const done = { id: "e2", occurrence: "b2", action: "done", at: "2026-03-20T08:10:00.000Z" };
  assert.deepEqual(open("2026-03-20T10:00:00Z", [ticked, done]), []);  // done rows drop their detail
});

test("a lifted restriction reads right under any date, whether or not the protocol says from today", () => {
  assert.equal(lifted("You can shave again from today"), "You can shave again.");
  assert.equal(lifted("You can shave again, from today."), "You can shave again.");
  assert.equal(lifted("You can shave again"), "You can shave again.");
  assert.equal(lifted("Sun is fine again: from now on use SPF 30 to 50 on your scalp"),
    "Sun is fine again: from now on use SPF 30 to 50 on your scalp.");
  const fromToday = { ...plan, milestones: plan.milestones.map((m) => ({ ...m, text: "You can shave again from today" })) };
  assert.deepEqual(avoidModel(fromToday, bundle, at("2026-03-22T08:00:00Z")).today, ["You can shave again."]);
  assert.deepEqual(avoidModel(fromToday, bundle, at("2026-03-20T08:00:00Z")).lifts[0].items, ["You can shave again."]);
});

test("coming up and good news ahead come one group per date, each date once", () => {
  const sameDay = { ...plan,
    restrictions: [...plan.restrictions, { id: "no-shaving", start: "2026-04-08T13:30:00+01:00", end: "2026-04-12T00:00:00+01:00" }],
    milestones: [...plan.milestones,
      { restriction: "no-swimming", at: "2026-03-22T00:00:00+00:00", date: "2026-03-22", text: "Swimming is fine again" },
      { restriction: "no-shaving", at: "2026-04-12T00:00:00+01:00", date: "2026-04-12", text: "You can shave again from today" }] };
  const model = avoidModel(sameDay, bundle, at("2026-03-28T10:00:00Z"));
  assert.deepEqual(model.soon.map((g) => [g.day, g.items.map((r) => r.title)]), [["Wed 8 Apr", ["No swimming", "No shaving"]]]);
  const early = avoidModel(sameDay, bundle, at("2026-03-20T10:00:00Z"));
  assert.deepEqual(early.lifts.map((g) => [g.day, g.items]), [
    ["Sun 22 Mar", ["You can shave again.", "Swimming is fine again."]],
    ["Sun 12 Apr", ["You can shave again."]],
  ]);
});

test("progress draws the course as a calendar with the clinic's states, today and session days marked", () => {
  const c1 = { id: "e1", occurrence: "c1", action: "done", at: "2026-03-19T22:10:00.000Z" };
  const model = progressModel(plan, bundle, [c1], at("2026-03-20T22:30:00Z")).calendar;
  const [first] = model.weeks;
  assert.deepEqual(first.map((d) => d && [d.date, d.state]), [
    null, null, ["2026-03-18", "no-tasks"], ["2026-03-19", "all"], ["2026-03-20", "none"],
    ["2026-03-21", "no-tasks"], ["2026-03-22", "no-tasks"],
  ]);
  assert.deepEqual(first.filter(Boolean).map((d) => d.label).slice(0, 3), [
    "Wed 18 Mar: no aftercare tasks, session day",
    "Thu 19 Mar: 1 of 1 tasks done (all done)",
    "Fri 20 Mar: 0 of 2 tasks done (little or none done), today",  // the evening's is not due yet
  ]);
  assert.equal(first[2].month, "Mar");
  const last = model.weeks.at(-1).filter(Boolean).at(-1);
  assert.deepEqual([last.date, last.session, last.month], ["2026-04-08", true, ""]);
  assert.equal(model.weeks.flat().filter((d) => d?.month).map((d) => d.number).join(), "18,1");
  assert.equal(model.summary, "1 of 3 tasks done so far (33%); every task done on 1 of 2 days. Tasks missed on 20 Mar.");
  const before = progressModel(plan, bundle, [], at("2026-03-19T10:00:00Z")).calendar;
  assert.deepEqual(before.weeks[0].slice(3, 5).map((d) => [d.state, d.label]), [
    ["upcoming", "Thu 19 Mar: 1 task to come, today"], ["upcoming", "Fri 20 Mar: 3 tasks to come"]]);
  assert.equal(before.summary, "No tasks have fallen due yet.");
});

test("a day's state is its share done of what has fallen due, as the clinic's calendar counts it", () => {
  const item = (date, due, done, optional = false) => ({ date, optional, done, dueEnd: due ? "2026-03-01T00:00:00Z" : "2026-12-01T00:00:00Z" });
  const day = (date, due, done, ticked) => [
    ...Array.from({ length: due }, (_, n) => item(date, true, n < done)),
    ...Array.from({ length: ticked }, () => item(date, false, true)),
  ];
  const items = [
    ...day("2026-03-02", 4, 4, 0), ...day("2026-03-03", 4, 3, 0), ...day("2026-03-04", 4, 1, 0),
    ...day("2026-03-05", 5, 1, 0), ...day("2026-03-06", 0, 0, 2), item("2026-03-07", true, false, true),
  ];
  const { weeks, legend } = calendar(items, [], "2026-03-06", at("2026-03-06T10:00:00Z"));
  // Monday the 2nd to Saturday the 7th: early ticks count; a day of optional tasks has none.
  assert.deepEqual(weeks[0].map((d) => d && d.state), ["all", "most", "some", "none", "all", "no-tasks", null]);
  assert.deepEqual(legend.map((l) => l.state), ["all", "most", "some", "none", "upcoming", "no-tasks"]);
});

test("today carries the protocol's summary, for the header's “Your plan”", () => {
  const summary = "Leave your scalp alone for a day, then cleanse and balm.";
  assert.equal(todayModel(plan, { ...bundle, summary }, [], at("2026-03-20T10:00:00Z")).about, summary);
  assert.equal(todayModel(plan, bundle, [], at("2026-03-20T10:00:00Z")).about, null);
});

test("a task placed after bedtime says why on its slot, with what follows it, that day only", () => {
  const warned = { ...plan, warnings: [
    { code: "task_after_bedtime", message: "Cleanse: …", date: "2026-03-20", task: "cleanse" },
    { code: "spacing_too_short", message: "…", date: "2026-03-20" },
  ] };
  const model = todayModel(warned, bundle, [], at("2026-03-20T10:00:00Z"));
  assert.deepEqual(model.slots.map((s) => s.note), [LATE, LATE, LATE]);  // every cleanse that day
  assert.deepEqual(model.slots[0].items.map((i) => i.late), [true, true]);  // the balm follows
  assert.deepEqual(model.yesterday.map((s) => s.note), [null]);
  // A step after the balm is late with it: down the whole chain.
  const cap = occurrence("k2", "cap", "2026-03-20", "morning", "2026-03-20T07:30:00+00:00", "2026-03-20T14:45:00+00:00", "b2");
  const chained = { ...warned, occurrences: warned.occurrences.flatMap((o) => (o.id === "b2" ? [o, cap] : [o])) };
  assert.deepEqual(todayModel(chained, bundle, [], at("2026-03-20T10:00:00Z")).slots[0].items.map((i) => i.late), [true, true, true]);
  const onlyBalm = { ...warned, warnings: [{ ...warned.warnings[0], task: "balm" }] };
  assert.deepEqual(todayModel(onlyBalm, bundle, [], at("2026-03-20T10:00:00Z")).slots.map((s) => s.note), [LATE, null, null]);
  // A plan stored before warnings named their task: the day's last slot.
  const old = { ...plan, warnings: [{ code: "task_after_bedtime", message: "…", date: "2026-03-20" }] };
  assert.deepEqual(todayModel(old, bundle, [], at("2026-03-20T10:00:00Z")).slots.map((s) => s.note), [null, null, LATE]);
  assert.deepEqual(todayModel(plan, bundle, [], at("2026-03-20T10:00:00Z")).slots.map((s) => s.note), [null, null, null]);
});

test("avoid groups what holds now by kind, the group lifting first first; unknown kinds read Other", () => {
  const rules = [
    ...bundle.restrictions,
    { id: "no-sauna", title: "No sauna", detail: "Heat.", category: "swimming" },
    { id: "no-dye", title: "No dye", detail: "Three weeks.", category: "hair-dye" },
  ];
  const now = at("2026-04-10T08:00:00Z");
  const holding = { ...plan, restrictions: [...plan.restrictions,
    { id: "no-dye", start: "2026-04-08T13:30:00+01:00", end: "2026-04-20T00:00:00+01:00" },
    { id: "no-sauna", start: "2026-04-08T13:30:00+01:00", end: "2026-05-20T00:00:00+01:00" }] };
  const model = avoidModel(holding, { ...bundle, restrictions: rules }, now);
  assert.deepEqual(model.groups.map((g) => [g.id, g.label, g.items.map((r) => r.title)]), [
    ["other", "Other", ["No dye"]],
    ["swimming", "Swimming", ["No swimming", "No sauna"]],
  ]);
  assert.equal(avoidModel(plan, bundle, at("2026-03-28T10:00:00Z")).soon[0].items[0].kind.label, "Swimming");
});

test("every kind of restriction has its own icon, and one for any other", () => {
  assert.deepEqual(Object.keys(ICONS).sort(), [...Object.keys(CATEGORIES), "other"].sort());
  assert.equal(new Set(Object.values(ICONS)).size, Object.keys(ICONS).length);
  assert.deepEqual(category("sun"), { id: "sun", label: "Sun" });
});
