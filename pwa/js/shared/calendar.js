// The course as a calendar the client can read: one cell per day, Monday to Sunday across.
// Its states are the clinic's adherence calendar's (server/dashboard/heatmap.py), counted the
// same way: required tasks only, a day's share done out of those due so far (early ticks
// count), so the client and the clinic read a day alike. Pure, for node --test.
import { addDays, day, monthName, shortDate } from "./format.js";
import { list, number, t } from "./i18n.js";

// By share done, best first: [lowest share, state].
const LEVELS = [[1, "all"], [0.75, "most"], [0.25, "some"], [0, "none"]];
export const STATES = ["all", "most", "some", "none", "upcoming", "no-tasks"];
const meaning = (state) => t(`calendar.state.${state}`);
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
  return { weeks, summary: summary(counts), legend: STATES.map((state) => ({ state, meaning: meaning(state) })) };
}

const shareDone = (count) => (Math.max(count.due, count.done) === 0 ? null : count.done / Math.max(count.due, count.done));

function described(date, count, session, today, first) {
  const share = count ? shareDone(count) : null;
  let state, said;
  if (!count) [state, said] = ["no-tasks", t("calendar.no_tasks")];
  else if (share === null) [state, said] = ["upcoming", t("calendar.to_come", { count: count.planned })];
  else {
    state = LEVELS.find(([lowest]) => share >= lowest)[1];
    said = t("calendar.done_of", { done: count.done, count: Math.max(count.due, count.done), meaning: meaning(state) });
  }
  const notes = [said, session && t("calendar.session_day"), today && t("calendar.today")].filter(Boolean);
  const number = Number(date.slice(8));
  return {
    date, number, state, session, today,
    // The first cell and each 1st name their month, so the grid reads without a heading per month.
    month: first || number === 1 ? monthName(date) : "",
    label: t("calendar.day_label", { day: day(date), notes: notes.join(t("list.separator")) }),
  };
}

// The calendar in a sentence or two, for a glance and for people who do not see it.
function summary(counts) {
  const counted = [...counts].filter(([, c]) => shareDone(c) !== null);
  const due = counted.reduce((sum, [, c]) => sum + Math.max(c.due, c.done), 0);
  if (!due) return t("calendar.none_due");
  const done = counted.reduce((sum, [, c]) => sum + c.done, 0);
  const missed = counted.filter(([, c]) => shareDone(c) < 1).map(([date]) => date);
  let text = t("calendar.summary", {
    done, count: due, share: number(done / due, { style: "percent" }),
    full: counted.length - missed.length, days: t("calendar.days", { count: counted.length }),
  });
  if (missed.length) {
    const dates = missed.slice(0, 8).map(shortDate);
    if (missed.length > 8) dates.push(t("calendar.more", { count: missed.length - 8 }));
    text += ` ${t("calendar.missed_on", { dates: list(dates) })}`;
  }
  return text;
}
