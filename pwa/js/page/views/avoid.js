import { h, said } from "../dom.js";
import { avoidModel } from "../../shared/screens.js";
import { categoryIcon } from "./category_icon.js";

// The protocol's own texts (translated with the protocol, not by the app's catalogs).
const protocol = (tag, attributes, text) => h(tag, { ...attributes, "data-source": "protocol" }, text);
const date = (group) => h("time", { datetime: group.date }, group.day);

export function avoid(ctx) {
  const model = avoidModel(ctx.plan, ctx.bundle, ctx.now);
  return [
    h("h1", {}, said("avoid.title")),
    model.today.length > 0 && h("section", { class: "card milestone", "aria-labelledby": "good-today-h" },
      h("h2", { id: "good-today-h" }, said("avoid.good_today")),
      h("ul", { class: "plain" }, model.today.map((text) => protocol("li", {}, text)))),
    model.groups.length
      // One card per kind (water, sun…): its icon and name, then what holds now of that kind.
      ? h("ul", { class: "plain" }, model.groups.map((group) => h("li", { class: "card avoid", "data-category": group.id },
          h("h2", { class: "kind" }, categoryIcon(group.id), group.label),
          group.items.map((rule) => h("div", { class: "rule" },
            h("p", {}, protocol("strong", {}, rule.title), " — ", h("span", { class: "time-left" }, rule.left)),
            protocol("p", { class: "muted" }, rule.detail))))))
      : h("p", { class: "card" }, said("avoid.nothing")),
    model.soon.length > 0 && [h("h2", {}, said("avoid.coming_up")),
      model.soon.map((group) => dated(said("avoid.from", { day: date(group) }), group.items.map((rule) => [categoryIcon(rule.kind.id), protocol("span", {}, rule.title)])))],
    model.lifts.length > 0 && [h("h2", {}, said("avoid.good_ahead")),
      model.lifts.map((group) => dated(date(group), group.items.map((text) => protocol("span", {}, text))))],
  ];
}

// One card per date: the date once, as a heading, and what starts or ends then beneath it.
function dated(heading, lines) {
  return h("section", { class: "card dated" },
    h("h3", {}, heading),
    h("ul", { class: "plain" }, lines.map((line) => h("li", {}, line))));
}
