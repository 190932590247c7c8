import { h } from "../dom.js";
import { progressModel } from "../../shared/screens.js";
import { photosCard } from "./photos.js";
import { legend, square } from "./shapes.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function progress(ctx) {
  const model = progressModel(ctx.plan, ctx.bundle, ctx.events, ctx.now);
  return [
    h("h1", {}, "Progress"),
    photosCard(ctx),
    model.calendar && calendar(model.calendar),
    model.sessions.length > 0 && [h("h2", {}, "Your sessions"), model.sessions.map((s) =>
      h("section", { class: "card" },
        h("p", {}, h("strong", {}, `Session ${s.number}${s.final ? " (final)" : ""}`), ` — ${s.day} at ${s.time}`),
        s.prep.length > 0 && h("ul", {}, s.prep.map((p) => h("li", {}, `${p.title} (${p.time})`)))))],
    model.cards.length > 0 && [h("h2", {}, "Good to know"), model.cards.map((card) =>
      h("details", { class: "card", open: card.kind === "expect" },
        h("summary", {}, card.title), h("p", {}, card.body)))],
    h("h2", {}, "Day by day"),
    model.days.length
      ? h("ul", { class: "plain" }, model.days.map((d) => h("li", { class: "card" },
          h("p", {}, h("strong", {}, d.day), ` — ${d.done} done`,
            d.missed.length > 0 && h("span", { class: "missed" }, `, ${d.missed.length} missed`),
            d.open > 0 && `, ${d.open} to do`),
          d.missed.length > 0 && h("p", { class: "muted" }, `Missed: ${d.missed.map((m) => `${m.title} (${m.time})`).join(", ")}`))))
      : h("p", { class: "card" }, "Your aftercare days will show here."),
  ];
}

// A table, a week a row: each day's square, its date, and (for screen readers) its sentence.
function calendar(c) {
  return h("section", { class: "card course", "aria-labelledby": "course-h" },
    h("h2", { id: "course-h" }, "Your course"),
    h("p", { class: "muted", id: "course-summary" }, c.summary),
    h("table", { class: "calendar", "aria-labelledby": "course-h", "aria-describedby": "course-summary" },
      h("thead", {}, h("tr", {}, WEEKDAYS.map((name, i) => h("th", { scope: "col", abbr: WEEKDAY_NAMES[i] }, name)))),
      h("tbody", {}, c.weeks.map((week) => h("tr", {}, week.map((d) => h("td", d ? {
        "data-date": d.date, "data-state": d.state, "aria-current": d.today ? "date" : false,
      } : {}, d && [
        square(d.state, { session: d.session, today: d.today }),
        h("span", { class: "num", "aria-hidden": "true" }, d.month ? `${d.number} ${d.month}` : d.number),
        h("span", { class: "sr" }, d.label),
      ])))))),
    legend(c.legend));
}
