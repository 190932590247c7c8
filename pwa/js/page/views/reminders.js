import { h, said } from "../dom.js";
import { t } from "../../shared/i18n.js";
import { notice } from "../notice.js";
import { timeField } from "./time_field.js";

// What this phone can do about reminders, said in Settings.
const STATES = {
  on: () => said("reminders.state_on"),
  off: () => said("reminders.state_off"),
  blocked: () => said("reminders.blocked"),
  install: () => said("reminders.install"),
  unsupported: () => [said("reminders.unsupported"), " ", said("reminders.without")],
};

// Reminders change in the background too: only their own part is drawn again, so a form the
// client is filling in elsewhere on the screen keeps what they typed.
export function redrawReminders(r) {
  const part = document.getElementById("reminders");
  if (!part) return;
  const focused = part.contains(document.activeElement) && document.activeElement.id;
  const onSettings = location.pathname === "/settings";
  const fresh = onSettings ? reminderSettings(r) : reminderCard(r);
  // Today's card drawn the same (only the settings it doesn't show changed) stays, and keeps
  // the focus of a keyboard on it. (Settings' fields hold state outside their markup.)
  if (!onSettings && fresh.isEqualNode(part)) return;
  part.replaceWith(fresh);
  if (focused) document.getElementById(focused)?.focus();
}

// Today's card: asks at a sensible moment, with the reason, and only on a tap.
export function reminderCard(r) {
  if (r.push === "on" || r.push === "unsupported" || r.dismissed) {
    return h("div", { id: "reminders", hidden: !r.notice }, notice(r.notice));
  }
  const later = h("button", { type: "button", class: "quiet", onclick: r.dismiss }, said(r.push === "off" ? "reminders.not_now" : "reminders.ok"));
  return h("section", { class: "card reminder", id: "reminders", "aria-label": t("reminders.title") },
    r.push === "off" && [
      h("p", {}, r.prompt),
      notice(r.notice),
      h("p", { class: "actions" }, h("button", { type: "button", onclick: r.turnOn }, said("reminders.turn_on")), later),
    ],
    r.push === "blocked" && [h("p", {}, said("reminders.blocked")), h("p", { class: "muted" }, said("reminders.without")), later],
    r.push === "install" && [h("p", {}, said("reminders.install")), later]);
}

// Settings: the state on this phone, the switch, and the client's preferences.
export function reminderSettings(r) {
  const usable = r.push === "on" || r.push === "off";
  const on = r.push === "on" && r.settings?.enabled !== false;  // enabled: false pauses every phone
  const toggle = h("input", {
    type: "checkbox", role: "switch", id: "remind", checked: on, disabled: !usable,
    onchange: (event) => (event.target.checked ? r.turnOn() : r.turnOff()),
  });
  return h("section", { class: "card", id: "reminders" },
    h("h2", {}, said("reminders.title")),
    h("p", { class: "muted", id: "remind-state" }, STATES[r.push === "on" && !on ? "off" : r.push]()),
    h("label", { class: "check", for: "remind" }, toggle, said("reminders.on_this_phone")),
    r.settings ? preferences(r) : h("p", { class: "muted" }, said("reminders.connect")),
    notice(r.notice));
}

function preferences(r) {
  const s = r.settings;
  const discreet = h("input", { type: "checkbox", id: "discreet", checked: s.discreet });
  const start = timeField({ id: "quiet-start", legend: t("reminders.from"), value: s.quiet_start, optional: true });
  const end = timeField({ id: "quiet-end", legend: t("reminders.until"), value: s.quiet_end, optional: true });
  const submit = (event) => {
    event.preventDefault();
    const [from, until] = [start.value(), end.value()];
    if (from === undefined || until === undefined) return r.refuse(t("reminders.half_a_time"));
    r.save({ discreet: discreet.checked, quiet_start: from, quiet_end: until });
  };
  return h("form", { onsubmit: submit },
    h("label", { class: "check", for: "discreet" }, discreet, said("reminders.discreet")),
    h("p", { class: "muted" }, said("reminders.discreet_help")),
    h("fieldset", { "aria-describedby": "quiet-help" },
      h("legend", {}, said("reminders.quiet")),
      h("p", { class: "muted", id: "quiet-help" }, said("reminders.quiet_help")),
      start.element,
      end.element),
    h("button", { type: "submit" }, said("reminders.save")));
}
