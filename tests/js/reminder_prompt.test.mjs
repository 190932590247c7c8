import assert from "node:assert/strict";
import "./support/english.mjs";
import { test } from "node:test";
import { reminderPrompt } from "../../pwa/js/shared/reminder_prompt.js";

const NOW = Date.parse("2026-12-06T10:00:00Z");
const at = (day, hour) => `2026-12-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00Z`;
const occurrence = (task, day, hour, optional = false) => ({ task, optional, due_end: at(day, hour) });

test("the card names the plan's two most frequent tasks, in the order they come", () => {
  const bundle = { tasks: [{ id: "wash", title: "Wash with baby shampoo" }, { id: "oil", title: "Moisturise with oil" }, { id: "shave", title: "Shave" }] };
  const plan = { occurrences: [
    occurrence("shave", 6, 12), occurrence("wash", 6, 20), occurrence("oil", 6, 21),
    occurrence("wash", 7, 20), occurrence("oil", 7, 21), occurrence("oil", 8, 21),
  ] };
  assert.equal(reminderPrompt(plan, bundle, NOW), "Get a reminder for “Wash with baby shampoo” and “Moisturise with oil”.");
});

test("only tasks still to come and required ones count: no product the plan no longer uses", () => {
  const bundle = { tasks: [{ id: "cleanse", title: "Cleanse your scalp" }, { id: "balm", title: "Apply balm" }, { id: "mask", title: "Overnight mask" }] };
  const plan = { occurrences: [
    occurrence("balm", 1, 9), occurrence("balm", 2, 9), occurrence("balm", 3, 9),  // before now
    occurrence("mask", 6, 22, true), occurrence("mask", 7, 22, true),  // optional
    occurrence("cleanse", 6, 20),
  ] };
  assert.equal(reminderPrompt(plan, bundle, NOW), "Get a reminder for “Cleanse your scalp”.");
});

test("without tasks to name, or before a plan is known, the card speaks of tasks in general", () => {
  const generic = "Get a reminder when a task is due.";
  assert.equal(reminderPrompt(), generic);
  assert.equal(reminderPrompt({ occurrences: [] }, { tasks: [] }, NOW), generic);
  assert.equal(reminderPrompt({ occurrences: [occurrence("gone", 7, 9)] }, { tasks: [] }, NOW), generic);
});
