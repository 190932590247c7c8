import { h } from "../dom.js";
import { avoidModel } from "../../shared/screens.js";

export function avoid(ctx) {
  const model = avoidModel(ctx.plan, ctx.bundle, ctx.now);
  return [
    h("h1", {}, "What to avoid"),
    model.today.map((text) => h("p", { class: "card milestone", role: "note" }, `${text} from today.`)),
    model.active.length
      ? h("ul", { class: "plain" }, model.active.map((rule) => h("li", { class: "card avoid" },
          h("p", {}, h("strong", {}, rule.title), " — ", h("span", { class: "left" }, rule.left)),
          h("p", { class: "muted" }, rule.detail))))
      : h("p", { class: "card" }, "Nothing to avoid right now."),
    model.soon.length > 0 && [h("h2", {}, "Coming up"), h("ul", { class: "plain" },
      model.soon.map((rule) => h("li", { class: "card" }, h("strong", {}, rule.title), ` — from ${rule.from}`)))],
    model.lifts.length > 0 && [h("h2", {}, "Good news ahead"), h("ul", { class: "plain" },
      model.lifts.map((lift) => h("li", { class: "card" }, `${lift.day}: ${lift.text}`)))],
  ];
}
