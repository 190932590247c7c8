import { h } from "../dom.js";
import { progressModel } from "../../shared/screens.js";

export function progress(ctx) {
  const model = progressModel(ctx.plan, ctx.bundle, ctx.events, ctx.now);
  return [
    h("h1", {}, "Progress"),
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
