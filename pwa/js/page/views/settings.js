import { h, said } from "../dom.js";
import { LANGUAGES, language, t } from "../../shared/i18n.js";
import { notice } from "../notice.js";
import { myDataCard } from "./my_data.js";
import { aboutYou } from "./questions.js";
import { reminderSettings } from "./reminders.js";
import { timeField } from "./time_field.js";

export function settings(ctx) {
  const wake = timeField({ id: "wake", legend: t("settings.wake"), value: ctx.profile.wake });
  const bed = timeField({ id: "bed", legend: t("settings.bed"), value: ctx.profile.bed });
  const save = (event) => {
    event.preventDefault();
    ctx.saveDay(wake.value(), bed.value());
  };
  return [
    h("h1", {}, said("settings.title")),
    languageCard(ctx),
    h("form", { class: "card", onsubmit: save },
      h("h2", {}, said("settings.day")),
      h("p", { class: "muted" }, said("settings.day_help")),
      wake.element,
      bed.element,
      notice(ctx.notice),
      h("button", { type: "submit" }, said("settings.save_day"))),
    aboutYou(ctx),
    reminderSettings(ctx.reminders),
    myDataCard(ctx.myData, ctx.profile.timezone),
    ctx.install && h("section", { class: "card" }, h("h2", {}, said("install.title")), ctx.install),
    h("section", { class: "card" },
      h("h2", {}, said("sign_out.title")),
      h("p", { class: "muted" }, said("sign_out.help")),
      h("button", { type: "button", class: "danger", onclick: ctx.signOut }, said("sign_out.button"))),
  ];
}

// Each language by its own name, in its own script (lang), as the dashboard lists them. The
// protocol's languages only, when the bundle says which: the server refuses any other.
function languageCard(ctx) {
  const offered = ctx.bundle?.languages;
  const choices = LANGUAGES.filter((l) => !offered || offered.includes(l.code));
  const select = h("select", { id: "language", name: "language" },
    choices.map((l) => h("option", { value: l.code, lang: l.code, selected: l.code === language().code }, l.name)));
  const submit = (event) => {
    event.preventDefault();
    ctx.changeLanguage(select.value);
  };
  return h("form", { class: "card", id: "language-card", onsubmit: submit },
    h("h2", {}, h("label", { for: "language" }, said("settings.language"))),
    h("p", { class: "muted" }, said("settings.language_help")),
    h("p", { class: "actions" }, select, h("button", { type: "submit" }, said("settings.language_save"))),
    notice(ctx.languageNotice));
}
