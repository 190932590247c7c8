// What each screen shows, computed from the plan, the protocol bundle and the known events.
// Pure functions: the views only draw what these return; whether a task is done, open or missed
// is occurrence.js's to say.
import { calendar } from "./calendar.js";
import { category } from "./categories.js";
import { latestEvents } from "./fold.js";
import { addDays, day, daysBetween, localDate, time, timeLeft } from "./format.js";
import { t } from "./i18n.js";
import { state } from "./occurrence.js";

// A slot's name as a card's heading; a moment (a task at one time) has none.
const slotName = (slot) => (slot === "moment" ? "" : ["morning", "midday", "evening", "night"].includes(slot) ? t(`slot.${slot}`) : slot);
const byId = (items = []) => new Map(items.map((item) => [item.id, item]));
// The protocol's tasks and its check-in, which the plan places as task "checkin".
const tasksOf = (bundle) =>
  byId([...(bundle.tasks || []), ...(bundle.checkin ? [{ id: "checkin", title: bundle.checkin.title, how: "" }] : [])]);
const isActive = (window, now) =>
  (window.start === null || Date.parse(window.start) <= now) && (window.end === null || now < Date.parse(window.end));

function items(plan, bundle, events, now) {
  const tasks = tasksOf(bundle);
  const occurrences = byId(plan.occurrences);
  const latest = latestEvents(events);
  const isDoneId = (id) => latest.get(id)?.action === "done";
  const today = localDate(now, plan.timezone);
  const followers = new Map();
  for (const o of plan.occurrences) if (o.follows) followers.set(o.follows, [...(followers.get(o.follows) || []), o]);
  const titleOf = (o) => (tasks.get(o.task) || {}).title || o.task;
  const firsts = firstOccurrences(plan.occurrences);
  return plan.occurrences.map((o) => {
    const task = tasks.get(o.task) || { title: o.task, how: "" };
    const leader = o.follows && occurrences.get(o.follows);
    const after = (followers.get(o.id) || []).find((f) => isDoneId(f.id));
    const status = state(isDoneId(o.id), o.optional, o.due_end, now);
    const blockedBy = leader && !isDoneId(leader.id) ? (tasks.get(leader.task) || {}).title || t("task.step_before") : null;
    return {
      id: o.id, task: o.task, date: o.date, slot: o.slot, at: o.at, dueEnd: o.due_end, optional: o.optional, follows: o.follows,
      title: task.title, product: task.product || "", how: task.how,
      time: time(o.at, plan.timezone), state: status, done: status === "done", missed: status === "missed",
      blockedBy, blocked: Boolean(blockedBy) && status !== "done",
      said: said(status, o.optional, blockedBy),
      firstOfTask: firsts.get(o.task) === o.id,
      // A later step was ticked after this one: unticking this asks first.
      untickQuestion: after ? t("task.untick_question", { later: titleOf(after), title: task.title }) : null,
      // Ticked today for an earlier day: stays in view, so a late tick can be checked or undone.
      loggedToday: status === "done" && localDate(latest.get(o.id).at, plan.timezone) === today && o.date < today,
    };
  });
}

// Each task's earliest occurrence in the course: where its product and how-to show unasked.
function firstOccurrences(occurrences) {
  const firsts = new Map();
  const sorted = [...occurrences].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const o of sorted) if (!firsts.has(o.task)) firsts.set(o.task, o.id);
  return firsts;
}

// A task's state in words, so it never rests on colour: what the row says beside its title.
function said(status, optional, blockedBy) {
  const word = status === "done" ? "done" : status === "missed" ? "missed" : optional ? "optional" : blockedBy ? "waiting" : "to_do";
  return { word: t(`state.${word}`), why: status !== "done" && blockedBy ? t("task.do_first", { title: blockedBy }) : "" };
}

function bySlot(list) {
  const slots = [];
  for (const item of list) {
    const last = slots[slots.length - 1];
    if (last && last.slot === item.slot && last.time === item.time) last.items.push(item);
    else slots.push({ slot: item.slot, name: slotName(item.slot), time: item.time, items: [item] });
  }
  for (const slot of slots) slot.note = slot.items.some((i) => i.late) ? t("slot.late") : null;
  return slots;
}

// The plan's task_after_bedtime warnings (server/domain/plan.py), on the rows they are about:
// that task on that day, and what follows it. A plan from before warnings named their task
// marks that day's last slot.
function markLate(plan, all) {
  for (const warning of (plan.warnings || []).filter((w) => w.code === "task_after_bedtime")) {
    const day = all.filter((i) => i.date === warning.date);
    const lead = warning.task ? day.filter((i) => i.task === warning.task) : day.filter((i) => i.at === day.at(-1)?.at);
    const late = new Set(lead.map((i) => i.id));
    for (const item of day) {
      if (!late.has(item.id) && !late.has(item.follows)) continue;
      item.late = true;
      late.add(item.id);  // and so on down a chain of followers
    }
  }
}

export function todayModel(plan, bundle, events, now) {
  const today = localDate(now, plan.timezone);
  const all = items(plan, bundle, events, now);
  const todays = all.filter((i) => i.date === today);
  const yesterday = all.filter((i) => i.date === addDays(today, -1) && !i.optional && (!i.done || i.loggedToday));
  const next = all.find((i) => i.date > today);
  openFirstHow([...todays, ...yesterday], all);
  const required = todays.filter((i) => !i.optional);
  const count = {
    total: required.length,
    done: required.filter((i) => i.done).length,
    missed: required.filter((i) => i.missed).length,
  };
  const where = healing(plan, all, today);
  const summary = counted(count, todays.length);
  markLate(plan, all);
  return {
    date: today,
    heading: day(today),
    line: [where, summary].filter(Boolean).join(" · "),
    about: bundle.summary || null,
    progress: count.total ? { ...count, label: t("today.ring", { summary }) } : null,
    slots: bySlot(todays),
    yesterday: bySlot(yesterday),
    next: todays.length ? null : next && { title: next.title, day: day(next.date), time: next.time },
  };
}

// Product and how-to show unasked on a task's first occurrence in the course, and on its first
// row here while the client has never ticked it (a phone enrolled after that first day).
function openFirstHow(shown, all) {
  const ticked = new Set(all.filter((i) => i.done).map((i) => i.task));
  const seen = new Set();
  for (const item of shown) {
    item.howOpen = !item.done && (item.firstOfTask || (!ticked.has(item.task) && !seen.has(item.task)));
    seen.add(item.task);
  }
}

// Required tasks only: "2 of 6 done", and the missed said as missed, never as still to do.
function counted({ total, done, missed }, any) {
  if (!total) return any ? t("today.nothing_required") : t("today.nothing");
  if (done === total) return t("today.all_done", { count: total });
  const part = t("today.done_of", { done, count: total });
  return missed ? `${part} · ${t("today.missed", { count: missed })}` : part;
}

// Where the client is in healing. Day 1 is the local day a session ends, as the protocols and
// the clinic's reasons to call count (server/domain/timeline.py).
function healing(plan, all, today) {
  const tz = plan.timezone;
  const sessions = plan.sessions.map((s) => ({ number: s.number, start: localDate(s.start, tz), end: localDate(s.end, tz) }));
  if (!sessions.length) return null;
  const on = sessions.find((s) => s.start <= today && today <= s.end);
  if (on) return t("healing.session_today", { number: on.number });
  const last = sessions.filter((s) => s.end < today).at(-1);
  const next = sessions.find((s) => s.start > today);
  if (!last) {
    const days = daysBetween(today, next.start);
    return days === 1 ? t("healing.session_tomorrow", { number: next.number }) : t("healing.days_before", { count: days, number: next.number });
  }
  const lastTaskDay = all.reduce((latest, i) => (i.date > latest ? i.date : latest), "");
  if (!next && today > lastTaskDay) return t("healing.ended", { day: day(lastTaskDay) });
  return t("healing.day_after", { day: daysBetween(last.end, today) + 1, number: last.number });
}

export function avoidModel(plan, bundle, now) {
  const tz = plan.timezone;
  const rules = byId(bundle.restrictions);
  const today = localDate(now, tz);
  const describe = (window) => {
    const rule = rules.get(window.id) || { title: window.id, detail: "" };
    return { ...rule, id: window.id, kind: category(rule.category) };
  };
  const soon = plan.restrictions.filter((w) => Date.parse(w.start) > now && localDate(w.start, tz) <= addDays(today, 14))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const ahead = plan.milestones.filter((m) => Date.parse(m.at) > now);
  const active = plan.restrictions.filter((w) => isActive(w, now))
    .sort((a, b) => (a.end === null) - (b.end === null) || Date.parse(a.end) - Date.parse(b.end))
    .map((w) => ({ ...describe(w), left: timeLeft(w.end, now, tz) }));
  return {
    active,
    groups: byKind(active),
    today: plan.milestones.filter((m) => m.date === today && Date.parse(m.at) <= now).map((m) => lifted(m.text)),
    soon: byDate(soon, (w) => localDate(w.start, tz), describe),
    lifts: byDate(ahead, (m) => m.date, (m) => lifted(m.text)).slice(0, 5),
  };
}

// What holds now, one group per kind (water, sun…), the group that lifts first first.
function byKind(list) {
  const groups = new Map();
  for (const rule of list) {
    if (!groups.has(rule.kind.id)) groups.set(rule.kind.id, { ...rule.kind, items: [] });
    groups.get(rule.kind.id).items.push(rule);
  }
  return [...groups.values()];
}

// One group per date, in order, each date said once: [{ date, day, items }].
function byDate(list, dateOf, describe) {
  const groups = new Map();
  for (const entry of list) {
    const date = dateOf(entry);
    if (!groups.has(date)) groups.set(date, { date, day: day(date), items: [] });
    groups.get(date).items.push(describe(entry));
  }
  return [...groups.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

// A protocol's `lifted` text as a sentence under its date. `protocols check` now refuses one
// ending in "today", but a plan stays on the bundle it was built from, and older bundles said
// "from today": under another date wrong, beside "Good news today" said twice.
export function lifted(text) {
  const said = text.replace(/[\s,]*\bfrom today\b[\s.!]*$/i, "").trim();
  return /[.!?]$/.test(said) ? said : `${said}.`;
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
    calendar: calendar(all, plan.sessions.map((s) => localDate(s.start, tz)), today, now),
    days: [...days.values()].reverse().slice(0, 28),
    sessions,
    cards: plan.cards.filter((c) => isActive(c, now)).map((c) => cards.get(c.id)).filter(Boolean),
  };
}

// Ticks the server refused (outbox.js settlement), named as the Today screen names tasks.
export function refusedModel(plan, bundle, refused) {
  const tasks = tasksOf(bundle);
  const occurrences = byId(plan.occurrences);
  return refused.map((r) => {
    const o = occurrences.get(r.occurrence);
    const title = o ? (tasks.get(o.task) || {}).title || o.task : t("task.a_task");
    return { id: r.id, title, day: o ? day(o.date) : null, action: r.action, reason: r.reason };
  });
}
