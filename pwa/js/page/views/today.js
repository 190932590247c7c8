import { h } from "../dom.js";
import { todayModel } from "../../shared/screens.js";
import { keptCards } from "./kept.js";
import { reminderCard } from "./reminders.js";

export function today(ctx) {
  const model = todayModel(ctx.plan, ctx.bundle, ctx.events, ctx.now);
  const summary = model.slots.length
    ? model.left ? `${model.left} still to do` : "All done for today. Well done."
    : "Nothing to do today.";
  return [
    h("h1", {}, "Today"),
    h("p", { class: "sub" }, `${model.heading} · ${summary}`),
    reminderCard(ctx.reminders),
    keptCards(ctx.kept),
    refusedCard(ctx.refused),
    model.slots.map((slot) => section(slot, ctx)),
    !model.slots.length && model.next && h("p", { class: "card" }, `Next: ${model.next.title}, ${model.next.day} at ${model.next.time}.`),
    model.yesterday.length > 0 && [
      h("h2", {}, "From yesterday"),
      h("p", { class: "sub" }, "Did these but forgot to tick them? Tick them now; your clinic will see they were logged late."),
      model.yesterday.map((slot) => section(slot, ctx, "y")),
    ],
  ];
}

// Ticks the server refused (a task whose day has not begun, say): said, never just dropped.
function refusedCard(r) {
  if (!r.items.length) return null;
  return h("section", { class: "card", "aria-labelledby": "refused-h" },
    h("h2", { id: "refused-h" }, "Not accepted"),
    h("p", {}, "The server didn't accept these ticks, so your clinic won't see them:"),
    h("ul", {}, r.items.map((i) => h("li", {},
      `${i.action === "undone" ? "Unticking " : ""}“${i.title}”${i.day ? `, ${i.day}` : ""}. ${i.reason}`))),
    h("button", { type: "button", onclick: r.dismiss }, "OK"));
}

function section(slot, ctx, prefix = "t") {
  const title = slot.name || slot.items[0].title;
  return h("section", { class: "card slot" },
    h("h2", {}, h("span", {}, title), h("span", { class: "muted" }, slot.time)),
    slot.items.map((item) => task(item, ctx, prefix)));
}

function task(item, ctx, prefix) {
  const id = `${prefix}-${item.id}`;
  const blocked = Boolean(item.blockedBy) && !item.done;
  return h("div", { class: `task${item.done ? " done" : ""}${blocked ? " blocked" : ""}` },
    h("input", {
      type: "checkbox", id, checked: item.done, disabled: blocked, "aria-describedby": `${id}-about`,
      onchange: (event) => {
        // Declined: both stay ticked, as they were.
        if (!event.target.checked && item.untickQuestion && !confirm(item.untickQuestion)) event.target.checked = true;
        else ctx.tick(item.id, event.target.checked);
      },
    }),
    h("div", {},
      h("label", { for: id },
        h("span", { class: "title" }, item.title),
        h("span", { class: "sr" }, ` (${item.slot === "moment" ? "" : `${item.slot}, `}${item.time})`),
        item.optional && h("span", { class: "tag" }, "optional"),
        item.missed && h("span", { class: "tag missed" }, "missed")),
      h("p", { id: `${id}-about`, class: "muted" },
        blocked && h("span", { class: "why" }, `Do “${item.blockedBy}” first. `),
        item.product && `${item.product}. `, item.how)));
}
