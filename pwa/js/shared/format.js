// Dates and times in the plan's timezone, with Intl; pure, so node --test can run it.

const formatters = new Map();
function formatter(tz, options) {
  const key = tz + JSON.stringify(options);
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat("en-GB", { timeZone: tz, ...options }));
  return formatters.get(key);
}

// "YYYY-MM-DD" of an instant in `tz`.
export function localDate(instant, tz) {
  const parts = Object.fromEntries(
    formatter(tz, { year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(isoDate, days) {
  const date = new Date(`${isoDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function daysBetween(fromIso, toIso) {
  return Math.round((Date.parse(`${toIso}T12:00:00Z`) - Date.parse(`${fromIso}T12:00:00Z`)) / 86400000);
}

export function time(instant, tz) {
  return formatter(tz, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(instant));
}

export function day(isoDate) {
  return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" })
    .format(new Date(`${isoDate}T12:00:00Z`));
}

// Is this instant exactly a local midnight (a calendar-day boundary) in tz?
export function isMidnight(instant, tz) {
  return time(instant, tz) === "00:00";
}

// How long a restriction still holds, in words a client reads at a glance.
export function timeLeft(end, now, tz) {
  if (end === null) return "for now";
  const today = localDate(now, tz);
  if (isMidnight(end, tz)) {
    const lastDay = addDays(localDate(end, tz), -1);
    const days = daysBetween(today, lastDay) + 1;
    if (days <= 1) return "last day today";
    if (days <= 7) return `${days} more days`;
    return `until ${day(lastDay)}`;
  }
  const endDay = localDate(end, tz);
  if (endDay === today) return `until ${time(end, tz)} today`;
  if (daysBetween(today, endDay) === 1) return `until ${time(end, tz)} tomorrow`;
  return `until ${day(endDay)}, ${time(end, tz)}`;
}

// "20 March 2026": a date a client reads without thinking.
export function longDate(instant, tz) {
  return formatter(tz, { day: "numeric", month: "long", year: "numeric" }).format(new Date(instant));
}
