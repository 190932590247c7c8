// The course as a calendar the client can read: one cell per day, Monday to Sunday across.
// Its states are the clinic's adherence calendar's (server/dashboard/heatmap.py), counted the
// same way: required tasks only, a day's share done out of those due so far (early ticks
// count), so the client and the clinic read a day alike. Pure, for node --test.
import { addDays, day } from "./format.js";

// By share done, best first: [lowest share, state].
const LEVELS = [[1, "all"], [0.75, "most"], [0.25, "some"], [0, "none"]];
export const MEANINGS = {
  all: "all done",
  most: "most done (¾ or more)",
  some: "some done (¼ or more)",
  none: "little or none done",
  upcoming: "to come",
  "no-tasks": "no tasks",
};

const shortDate = (iso) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" })
  .format(new Date(`${iso}T12:00:00Z`));
const weekday = (iso) => (new Date(`${iso}T12:00:00Z`).getUTCDay() + 6) % 7;  // Monday 0

// items: screens.js's, each with date, optional, done and dueEnd; sessionDays: local dates.
export function calendar(items, sessionDays, today, now) {
  if (!items.length) return null;
  const counts = new Map();
  for (const item of items.filter((i) => !i.optional)) {
    const count = counts.get(item.date) || { planned: 0, due: 0, done: 0 };
    count.planned += 1;
    if (Date.parse(item.dueEnd) <= now) count.due += 1;
    if (item.done) count.done += 1;
    counts.set(item.date, count);
  }
  const dates = [...items.map((i) => i.date), ...sessionDays].sort();
  const [first, last] = [dates[0], dates.at(-1)];
  const sessions = new Set(sessionDays);
  const cells = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    cells.push(described(date, counts.get(date), sessions.has(date), date === today, date === first));
  }
  const weeks = [];
  const padded = [...Array(weekday(first)).fill(null), ...cells];
  while (padded.length % 7) padded.push(null);
  for (let start = 0; start < padded.length; start += 7) weeks.push(padded.slice(start, start + 7));
  return { weeks, summary: summary(counts), legend: Object.entries(MEANINGS).map(([state, meaning]) => ({ state, meaning })) };
}

const shareDone = (count) => (Math.max(count.due, count.done) === 0 ? null : count.done / Math.max(count.due, count.done));

function described(date, count, session, today, first) {
  const share = count ? shareDone(count) : null;
  let state, said;
  if (!count) [state, said] = ["no-tasks", "no aftercare tasks"];
  else if (share === null) [state, said] = ["upcoming", `${count.planned} ${count.planned === 1 ? "task" : "tasks"} to come`];
  else {
    state = LEVELS.find(([lowest]) => share >= lowest)[1];
    said = `${count.done} of ${Math.max(count.due, count.done)} tasks done (${MEANINGS[state]})`;
  }
  const notes = [said, session && "session day", today && "today"].filter(Boolean);
  const number = Number(date.slice(8));
  return {
    date, number, state, session, today,
    // The first cell and each 1st name their month, so the grid reads without a heading per month.
    month: first || number === 1 ? shortDate(date).split(" ")[1] : "",
    label: `${day(date)}: ${notes.join(", ")}`,
  };
}

// The calendar in a sentence or two, for a glance and for people who do not see it.
function summary(counts) {
  const counted = [...counts].filter(([, c]) => shareDone(c) !== null);
  const due = counted.reduce((sum, [, c]) => sum + Math.max(c.due, c.done), 0);
  if (!due) return "No tasks have fallen due yet.";
  const done = counted.reduce((sum, [, c]) => sum + c.done, 0);
  const missed = counted.filter(([, c]) => shareDone(c) < 1).map(([date]) => date);
  let text = `${done} of ${due} tasks done so far (${Math.round((100 * done) / due)}%); every task done on ` +
    `${counted.length - missed.length} of ${counted.length} ${counted.length === 1 ? "day" : "days"}.`;
  if (missed.length) {
    const more = missed.length > 8 ? ` and ${missed.length - 8} more` : "";
    text += ` Tasks missed on ${missed.slice(0, 8).map(shortDate).join(", ")}${more}.`;
  }
  return text;
}
