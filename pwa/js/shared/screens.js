// What each screen shows, computed from the plan, the protocol bundle and the known events.
// Pure functions: the views only draw what these return; whether a task is done, open or missed
// is occurrence.js's to say.
import { latestEvents } from "./fold.js";
import { addDays, day, localDate, time, timeLeft } from "./format.js";
import { state } from "./occurrence.js";

const SLOT_NAMES = { morning: "Morning", midday: "Midday", evening: "Evening", night: "Before bed", moment: "" };
const byId = (items = []) => new Map(items.map((item) => [item.id, item]));
const isActive = (window, now) =>
  (window.start === null || Date.parse(window.start) <= now) && (window.end === null || now < Date.parse(window.end));

function items(plan, bundle, events, now) {
  const tasks = byId(bundle.tasks);
  const occurrences = byId(plan.occurrences);
  const latest = latestEvents(events);
  const isDoneId = (id) => latest.get(id)?.action === "done";
  const today = localDate(now, plan.timezone);
  const followers = new Map();
  for (const o of plan.occurrences) if (o.follows) followers.set(o.follows, [...(followers.get(o.follows) || []), o]);
  const titleOf = (o) => (tasks.get(o.task) || {}).title || o.task;
  return plan.occurrences.map((o) => {
    const task = tasks.get(o.task) || { title: o.task, how: "" };
    const leader = o.follows && occurrences.get(o.follows);
    const after = (followers.get(o.id) || []).find((f) => isDoneId(f.id));
    const status = state(isDoneId(o.id), o.optional, o.due_end, now);
    return {
      id: o.id, date: o.date, slot: o.slot, at: o.at, optional: o.optional,
      title: task.title, product: task.product || "", how: task.how,
      time: time(o.at, plan.timezone), state: status, done: status === "done", missed: status === "missed",
      blockedBy: leader && !isDoneId(leader.id) ? (tasks.get(leader.task) || {}).title || "the step before" : null,
      // A later step was ticked after this one: unticking this asks first.
      untickQuestion: after ? `You ticked “${titleOf(after)}” after this step. Untick “${task.title}” anyway?` : null,
      // Ticked today for an earlier day: stays in view, so a late tick can be checked or undone.
      loggedToday: status === "done" && localDate(latest.get(o.id).at, plan.timezone) === today && o.date < today,
    };
  });
}

function bySlot(list) {
  const slots = [];
  for (const item of list) {
    const last = slots[slots.length - 1];
    if (last && last.slot === item.slot && last.time === item.time) last.items.push(item);
    else slots.push({ slot: item.slot, name: SLOT_NAMES[item.slot] ?? item.slot, time: item.time, items: [item] });
  }
  return slots;
}

export function todayModel(plan, bundle, events, now) {
  const today = localDate(now, plan.timezone);
  const all = items(plan, bundle, events, now);
  const todays = all.filter((i) => i.date === today);
  const yesterday = all.filter((i) => i.date === addDays(today, -1) && !i.optional && (!i.done || i.loggedToday));
  const next = all.find((i) => i.date > today);
  return {
    date: today,
    heading: day(today),
    slots: bySlot(todays),
    yesterday: bySlot(yesterday),
    next: todays.length ? null : next && { title: next.title, day: day(next.date), time: next.time },
    left: todays.filter((i) => !i.done && !i.optional).length,
  };
}

export function avoidModel(plan, bundle, now) {
  const tz = plan.timezone;
  const rules = byId(bundle.restrictions);
  const today = localDate(now, tz);
  const describe = (window) => ({ ...(rules.get(window.id) || { title: window.id, detail: "" }), id: window.id });
  return {
    active: plan.restrictions.filter((w) => isActive(w, now))
      .sort((a, b) => (a.end === null) - (b.end === null) || Date.parse(a.end) - Date.parse(b.end))
      .map((w) => ({ ...describe(w), left: timeLeft(w.end, now, tz) })),
    today: plan.milestones.filter((m) => m.date === today && Date.parse(m.at) <= now).map((m) => m.text),
    soon: plan.restrictions.filter((w) => Date.parse(w.start) > now && localDate(w.start, tz) <= addDays(today, 14))
      .map((w) => ({ ...describe(w), from: day(localDate(w.start, tz)) })),
    lifts: plan.milestones.filter((m) => Date.parse(m.at) > now).slice(0, 5)
      .map((m) => ({ text: m.text, day: day(m.date) })),
  };
}

export function progressModel(plan, bundle, events, now) {
  const tz = plan.timezone;
  const today = localDate(now, tz);
  const all = items(plan, bundle, events, now);
  const days = new Map();
  for (const item of all.filter((i) => i.date <= today)) {
    if (!days.has(item.date)) days.set(item.date, { date: item.date, day: day(item.date), done: 0, missed: [], open: 0 });
    const entry = days.get(item.date);
    if (item.state === "done") entry.done += 1;
    else if (item.state === "missed") entry.missed.push(item);
    else if (item.state === "open" && !item.optional) entry.open += 1;
  }
  const cards = byId(bundle.cards);
  const sessions = plan.sessions.filter((s) => Date.parse(s.end) > now).map((s) => ({
    ...s, day: day(localDate(s.start, tz)), time: time(s.start, tz),
    prep: all.filter((i) => i.slot === "moment" && i.date <= localDate(s.start, tz) && i.date >= today),
  }));
  return {
    days: [...days.values()].reverse().slice(0, 28),
    sessions,
    cards: plan.cards.filter((c) => isActive(c, now)).map((c) => cards.get(c.id)).filter(Boolean),
  };
}

// Ticks the server refused (outbox.js settlement), named as the Today screen names tasks.
export function refusedModel(plan, bundle, refused) {
  const tasks = byId(bundle.tasks);
  const occurrences = byId(plan.occurrences);
  return refused.map((r) => {
    const o = occurrences.get(r.occurrence);
    const title = o ? (tasks.get(o.task) || {}).title || o.task : "A task";
    return { id: r.id, title, day: o ? day(o.date) : null, action: r.action, reason: r.reason };
  });
}
