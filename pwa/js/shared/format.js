// Dates and times in the plan's timezone, with Intl, in the app's language (i18n.js); pure,
// so node --test can run it. Times are always 24-hour.
import { locale, t } from "./i18n.js";

const formatters = new Map();
function formatter(language, tz, options) {
  const key = language + tz + JSON.stringify(options);
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat(language, { timeZone: tz, ...options }));
  return formatters.get(key);
}
// Dates the code compares and stores: one fixed locale and Latin digits, whatever the language.
const fixed = (tz, options) => formatter("en-GB-u-nu-latn", tz, options);

// "YYYY-MM-DD" of an instant in `tz`.
export function localDate(instant, tz) {
  const parts = Object.fromEntries(
    fixed(tz, { year: "numeric", month: "2-digit", day: "2-digit" })
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

// "HH:MM" for the code: comparing and grouping.
const clock = (instant, tz) => fixed(tz, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(instant));

// A time of day as the client reads it: 24-hour, in the language's digits.
export function time(instant, tz) {
  return formatter(locale(), tz, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(instant));
}

const noon = (isoDate) => new Date(`${isoDate}T12:00:00Z`);

// "Fri 11 Dec", "vie, 11 dic", "الجمعة، ١١ ديسمبر".
export function day(isoDate) {
  return formatter(locale(), "UTC", { weekday: "short", day: "numeric", month: "short" }).format(noon(isoDate));
}

// "11 Dec": a date without its weekday.
export function shortDate(isoDate) {
  return formatter(locale(), "UTC", { day: "numeric", month: "short" }).format(noon(isoDate));
}

// The month's short name alone, for the calendar's first cells.
export function monthName(isoDate) {
  return formatter(locale(), "UTC", { month: "short" }).format(noon(isoDate));
}

// Monday first: ["Mon", …] and the full names, in the language.
export function weekdays(width) {
  return Array.from({ length: 7 }, (_, i) => formatter(locale(), "UTC", { weekday: width }).format(noon(addDays("2026-03-16", i))));
}

// Is this instant exactly a local midnight (a calendar-day boundary) in tz?
export function isMidnight(instant, tz) {
  return clock(instant, tz) === "00:00";
}

// How long a restriction still holds, in words a client reads at a glance.
export function timeLeft(end, now, tz) {
  if (end === null) return t("left.for_now");
  const today = localDate(now, tz);
  if (isMidnight(end, tz)) {
    const lastDay = addDays(localDate(end, tz), -1);
    const days = daysBetween(today, lastDay) + 1;
    if (days <= 1) return t("left.last_day");
    if (days <= 7) return t("left.more_days", { count: days });
    return t("left.until_day", { day: day(lastDay) });
  }
  const endDay = localDate(end, tz);
  if (endDay === today) return t("left.until_today", { time: time(end, tz) });
  if (daysBetween(today, endDay) === 1) return t("left.until_tomorrow", { time: time(end, tz) });
  return t("left.until_day_time", { day: day(endDay), time: time(end, tz) });
}

// "20 March 2026": a date a client reads without thinking.
export function longDate(instant, tz) {
  return formatter(locale(), tz, { day: "numeric", month: "long", year: "numeric" }).format(new Date(instant));
}
