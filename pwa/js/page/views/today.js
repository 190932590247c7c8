import { h, said } from "../dom.js";
import { t } from "../../shared/i18n.js";
import { checkinRow } from "./checkin.js";
import { todayModel } from "../../shared/screens.js";
import { keptCards } from "./kept.js";
import { questionsCard } from "./questions.js";
import { reminderCard } from "./reminders.js";
import { ring } from "./shapes.js";

const protocol = (tag, attributes, text) => h(tag, { ...attributes, "data-source": "protocol" }, text);
const slotName = (slot) => (["morning", "midday", "evening", "night"].includes(slot) ? t(`slot.${slot}`) : slot);

// How-tos the client opened or closed, kept across the redraws of a minute or a tick.
const toggled = new Map();

export function today(ctx) {
  const model = todayModel(ctx.plan, ctx.bundle, ctx.events, ctx.now);
  const about = model.about && h("p", { class: "card plan-about", id: "plan-about", hidden: !toggled.get("plan-about"), "data-source": "protocol" }, model.about);
  return [
    h("div", { class: "glance" },
      model.progress && ring(model.progress),
      h("div", {},
        h("div", { class: "title-row" },
          h("h1", {}, said("today.title")),
          about && h("button", {
            type: "button", class: "quiet", "aria-expanded": String(!about.hidden), "aria-controls": "plan-about",
            onclick: (event) => {
              about.hidden = !about.hidden;
              event.currentTarget.setAttribute("aria-expanded", String(!about.hidden));
              toggled.set("plan-about", !about.hidden);
            },
          }, said("today.your_plan"), h("span", { class: "sr" }, " ", said("today.in_short")))),
        h("p", { class: "sub" }, h("time", { datetime: model.date }, model.heading)),
        h("p", { class: "healing" }, model.line))),
    about,
    reminderCard(ctx.reminders),
    questionsCard(ctx),
    keptCards(ctx.kept),
    refusedCard(ctx.refused),
    model.slots.map((slot) => section(slot, ctx)),
    !model.slots.length && model.next && h("p", { class: "card" }, said("today.next", {
      title: protocol("span", {}, model.next.title), day: h("time", {}, model.next.day), time: h("time", {}, model.next.time) })),
    model.yesterday.length > 0 && [
      h("h2", {}, said("today.yesterday")),
      h("p", { class: "sub" }, said("today.yesterday_help")),
      model.yesterday.map((slot) => section(slot, ctx, "y")),
    ],
  ];
}

// Ticks the server refused (a task whose day has not begun, say): said, never just dropped.
function refusedCard(r) {
  if (!r.items.length) return null;
  return h("section", { class: "card", "aria-labelledby": "refused-h" },
    h("h2", { id: "refused-h" }, said("refused.title")),
    h("p", {}, said("refused.text")),
    h("ul", {}, r.items.map((i) => h("li", {},
      said(i.action === "undone" ? "refused.untick" : "refused.tick", { title: protocol("span", {}, i.title) }),
      i.day && [t("list.separator"), h("time", {}, i.day)], ". ", h("span", { "data-source": "server" }, i.reason)))),
    h("button", { type: "button", onclick: r.dismiss }, said("refused.ok")));
}

function section(slot, ctx, prefix = "t") {
  const title = slot.name || slot.items[0].title;
  return h("section", { class: "card slot" },
    h("h2", {}, slot.name ? h("span", {}, title) : protocol("span", {}, title), h("time", { class: "muted" }, slot.time)),
    slot.note && h("p", { class: "late" }, slot.note),
    h("ul", { class: "plain tasks" }, slot.items.map((item) =>
      item.task === "checkin" ? checkinRow(item, ctx.answered.get(item.id), ctx) : task(item, ctx, prefix))));
}

// One row: the label spans the whole row (app.css), so a tap anywhere on it ticks; only the
// how-to's button, above it, does not. The how-to opens beneath the row.
function task(item, ctx, prefix) {
  const id = `${prefix}-${item.id}`;
  const hasHow = !item.done && Boolean(item.product || item.how);
  const open = hasHow && (toggled.get(id) ?? item.howOpen);
  const about = hasHow && h("p", { class: "about", id: `${id}-about`, hidden: !open, "data-source": "protocol" },
    item.product && [h("strong", {}, h("bdi", {}, item.product), "."), " "], item.how);
  const state = item.done ? "done" : item.missed ? "missed" : item.optional ? "optional" : "open";
  return h("li", { class: `task${item.blocked ? " blocked" : ""}`, "data-state": state },
    h("div", { class: "row" },
      h("input", {
        type: "checkbox", id, checked: item.done, disabled: item.blocked,
        "aria-labelledby": `${id}-title ${id}-when`, "aria-describedby": `${id}-said${hasHow ? ` ${id}-about` : ""}`,
        onchange: (event) => {
          // Declined: both stay ticked, as they were.
          if (!event.target.checked && item.untickQuestion && !confirm(item.untickQuestion)) event.target.checked = true;
          else ctx.tick(item.id, event.target.checked);
        },
      }),
      h("label", { for: id },
        h("span", { class: "title", id: `${id}-title`, "data-source": "protocol" }, item.title),
        h("span", { class: "sr", id: `${id}-when` }, " (", item.slot === "moment" ? "" : [slotName(item.slot), t("list.separator")], h("time", {}, item.time), ")"),
        h("span", { class: "said", id: `${id}-said` },
          h("span", { class: "word" }, item.said.word), item.said.why && ` ${item.said.why}`)),
      hasHow && h("button", {
        type: "button", class: "how", "aria-expanded": String(open), "aria-controls": `${id}-about`,
        onclick: (event) => {
          const opening = about.hidden;
          about.hidden = !opening;
          event.currentTarget.setAttribute("aria-expanded", String(opening));
          toggled.set(id, opening);
        },
      }, said("today.how"), h("span", { class: "sr" }, ": ", protocol("span", {}, item.title)))),
    about);
}
