import { h } from "../dom.js";
import { avoidModel } from "../../shared/screens.js";
import { categoryIcon } from "./category_icon.js";

export function avoid(ctx) {
  const model = avoidModel(ctx.plan, ctx.bundle, ctx.now);
  return [
    h("h1", {}, "What to avoid"),
    model.today.length > 0 && h("section", { class: "card milestone", "aria-labelledby": "good-today-h" },
      h("h2", { id: "good-today-h" }, "Good news today"),
      h("ul", { class: "plain" }, model.today.map((text) => h("li", {}, text)))),
    model.groups.length
      // One card per kind (water, sun…): its icon and name, then what holds now of that kind.
      ? h("ul", { class: "plain" }, model.groups.map((group) => h("li", { class: "card avoid", "data-category": group.id },
          h("h2", { class: "kind" }, categoryIcon(group.id), group.label),
          group.items.map((rule) => h("div", { class: "rule" },
            h("p", {}, h("strong", {}, rule.title), " — ", h("span", { class: "left" }, rule.left)),
            h("p", { class: "muted" }, rule.detail))))))
      : h("p", { class: "card" }, "Nothing to avoid right now."),
    model.soon.length > 0 && [h("h2", {}, "Coming up"),
      model.soon.map((group) => dated(`From ${group.day}`, group.items.map((rule) => [categoryIcon(rule.kind.id), rule.title])))],
    model.lifts.length > 0 && [h("h2", {}, "Good news ahead"),
      model.lifts.map((group) => dated(group.day, group.items))],
  ];
}

// One card per date: the date once, as a heading, and what starts or ends then beneath it.
function dated(heading, lines) {
  return h("section", { class: "card dated" },
    h("h3", {}, heading),
    h("ul", { class: "plain" }, lines.map((line) => h("li", {}, line))));
}
