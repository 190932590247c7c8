import { h } from "../dom.js";
import { notice } from "../notice.js";
import { myDataCard } from "./my_data.js";
import { aboutYou } from "./questions.js";
import { reminderSettings } from "./reminders.js";
import { timeField } from "./time_field.js";

export function settings(ctx) {
  const wake = timeField({ id: "wake", legend: "I usually get up at", value: ctx.profile.wake });
  const bed = timeField({ id: "bed", legend: "I usually go to bed at", value: ctx.profile.bed });
  const save = (event) => {
    event.preventDefault();
    ctx.saveDay(wake.value(), bed.value());
  };
  return [
    h("h1", {}, "Settings"),
    h("form", { class: "card", onsubmit: save },
      h("h2", {}, "Your day"),
      h("p", { class: "muted" }, "Task times are placed between when you get up and when you go to bed."),
      wake.element,
      bed.element,
      notice(ctx.notice),
      h("button", { type: "submit" }, "Save my day")),
    aboutYou(ctx),
    reminderSettings(ctx.reminders),
    myDataCard(ctx.myData, ctx.profile.timezone),
    ctx.install && h("section", { class: "card" }, h("h2", {}, "Keep it on your phone"), ctx.install),
    h("section", { class: "card" },
      h("h2", {}, "Sign out"),
      h("p", { class: "muted" }, "Removes your plan from this phone and stops its reminders. Ticks not yet sent go to your clinic first, or as soon as this phone is online."),
      h("button", { type: "button", class: "danger", onclick: ctx.signOut }, "Sign out from this phone")),
  ];
}
