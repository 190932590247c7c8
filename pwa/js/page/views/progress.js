import { h, said } from "../dom.js";
import { progressModel } from "../../shared/screens.js";
import { weekdays } from "../../shared/format.js";
import { number, t } from "../../shared/i18n.js";
import { photosCard } from "./photos.js";
import { legend, square } from "./shapes.js";

const protocol = (tag, attributes, text) => h(tag, { ...attributes, "data-source": "protocol" }, text);

export function progress(ctx) {
  const model = progressModel(ctx.plan, ctx.bundle, ctx.events, ctx.now);
  return [
    h("h1", {}, said("progress.title")),
    model.calendar && calendar(model.calendar),
    photosCard(ctx),  // after the course: where the client is first, then what they add
    model.sessions.length > 0 && [h("h2", {}, said("progress.sessions")), model.sessions.map((s) =>
      h("section", { class: "card" },
        h("p", {}, h("strong", {}, said(s.final ? "progress.session_final" : "progress.session", { number: s.number })), " — ",
          said("progress.on_at", { day: h("time", {}, s.day), time: h("time", {}, s.time) })),
        s.prep.length > 0 && h("ul", {}, s.prep.map((p) => h("li", {}, protocol("span", {}, p.title), " (", h("time", {}, p.time), ")")))))],
    model.cards.length > 0 && [h("h2", {}, said("progress.good_to_know")), model.cards.map((card) =>
      h("details", { class: "card", open: card.kind === "expect" },
        protocol("summary", {}, card.title), protocol("p", {}, card.body)))],
    h("h2", {}, said("progress.day_by_day")),
    model.days.length
      ? h("ul", { class: "plain" }, model.days.map((d) => h("li", { class: "card" },
          h("p", {}, h("strong", {}, h("time", { datetime: d.date }, d.day)), " — ", said("progress.done", { count: d.done }),
            d.missed.length > 0 && h("span", { class: "missed" }, t("list.separator"), said("progress.missed", { count: d.missed.length })),
            d.open > 0 && [t("list.separator"), said("progress.to_do", { count: d.open })]),
          d.missed.length > 0 && h("p", { class: "muted" }, said("progress.missed_list", {
            tasks: d.missed.map((m, i) => [i > 0 && t("list.separator"), protocol("span", {}, m.title), " (", h("time", {}, m.time), ")"]),
          })))))
      : h("p", { class: "card" }, said("progress.no_days")),
  ];
}

// A table, a week a row: each day's square, its date, and (for screen readers) its sentence.
function calendar(c) {
  const [short, long] = [weekdays("short"), weekdays("long")];
  return h("section", { class: "card course", "aria-labelledby": "course-h" },
    h("h2", { id: "course-h" }, said("progress.course")),
    h("p", { class: "muted", id: "course-summary" }, c.summary),
    h("table", { class: "calendar", "aria-labelledby": "course-h", "aria-describedby": "course-summary" },
      // Weekday names are Intl's, in the language: data, like dates.
      h("thead", {}, h("tr", {}, short.map((name, i) => h("th", { scope: "col", abbr: long[i] }, h("time", {}, name))))),
      h("tbody", {}, c.weeks.map((week) => h("tr", {}, week.map((d) => h("td", d ? {
        "data-date": d.date, "data-state": d.state, "aria-current": d.today ? "date" : false,
      } : {}, d && [
        square(d.state, { session: d.session, today: d.today }),
        h("time", { class: "num", datetime: d.date, "aria-hidden": "true" }, d.month ? `${number(d.number)} ${d.month}` : number(d.number)),
        h("span", { class: "sr" }, d.label),
      ])))))),
    legend(c.legend));
}
