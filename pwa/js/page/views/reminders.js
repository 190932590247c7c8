import { h } from "../dom.js";
import { notice } from "../notice.js";
import { timeField } from "./time_field.js";

const INSTALL = "Install the app to get reminders on iPhone: tap the Share button, then “Add to Home Screen”, and open Aftercue from there.";
const BLOCKED = "Notifications are blocked for Aftercue in this browser. To get reminders, allow them in the " +
  "browser's settings for this site (tap the icon next to the address, then Notifications), or for the " +
  "installed app in your phone's settings for Aftercue, then come back here.";
const QUIET_HELP = "No reminders between these times. A task due then is reminded when quiet hours end. " +
  "Leave both empty to get reminders at any time.";
const HALF_A_TIME = "Choose both the hour and the minutes of each quiet-hours time, or leave them empty.";
const WITHOUT = "Aftercue works without them: open it to see what's due.";
const STATES = {
  on: "Reminders are on for this phone.",
  off: "Reminders are off for this phone.",
  blocked: BLOCKED,
  install: INSTALL,
  unsupported: `This browser can't show reminders. ${WITHOUT}`,
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
  const later = h("button", { type: "button", class: "quiet", onclick: r.dismiss }, r.push === "off" ? "Not now" : "OK");
  return h("section", { class: "card reminder", id: "reminders", "aria-label": "Reminders" },
    r.push === "off" && [
      h("p", {}, r.prompt),
      notice(r.notice),
      h("p", { class: "actions" }, h("button", { type: "button", onclick: r.turnOn }, "Turn on reminders"), later),
    ],
    r.push === "blocked" && [h("p", {}, BLOCKED), h("p", { class: "muted" }, WITHOUT), later],
    r.push === "install" && [h("p", {}, INSTALL), later]);
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
    h("h2", {}, "Reminders"),
    h("p", { class: "muted", id: "remind-state" }, STATES[r.push === "on" && !on ? "off" : r.push]),
    h("label", { class: "check", for: "remind" }, toggle, "Reminders on this phone"),
    r.settings ? preferences(r) : h("p", { class: "muted" }, "Connect to the internet to change when reminders come."),
    notice(r.notice));
}

function preferences(r) {
  const s = r.settings;
  const discreet = h("input", { type: "checkbox", id: "discreet", checked: s.discreet });
  const start = timeField({ id: "quiet-start", legend: "From", value: s.quiet_start, optional: true });
  const end = timeField({ id: "quiet-end", legend: "Until", value: s.quiet_end, optional: true });
  const submit = (event) => {
    event.preventDefault();
    const [from, until] = [start.value(), end.value()];
    if (from === undefined || until === undefined) return r.refuse(HALF_A_TIME);
    r.save({ discreet: discreet.checked, quiet_start: from, quiet_end: until });
  };
  return h("form", { onsubmit: submit },
    h("label", { class: "check", for: "discreet" }, discreet, "Discreet on the lock screen"),
    h("p", { class: "muted" }, "Shows “You have an aftercare task due” instead of the task names."),
    h("fieldset", { "aria-describedby": "quiet-help" },
      h("legend", {}, "Quiet hours"),
      h("p", { class: "muted", id: "quiet-help" }, QUIET_HELP),
      start.element,
      end.element),
    h("button", { type: "submit" }, "Save reminder settings"));
}
