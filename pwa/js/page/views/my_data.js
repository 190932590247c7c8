import { h } from "../dom.js";
import { longDate } from "../../shared/format.js";
import { notice } from "../notice.js";

// Drawn again on its own when it changes, so the rest of Settings keeps what was typed.
export function redrawMyData(d, tz) {
  document.getElementById("my-data")?.replaceWith(myDataCard(d, tz));
}

export function myDataCard(d, tz) {
  return h("section", { class: "card", id: "my-data", "aria-labelledby": "my-data-h" },
    h("h2", { id: "my-data-h" }, "Your data"),
    h("p", { class: "muted" }, "Everything Aftercue holds about you for your clinic: your profile, sessions, plan and every tick, with when your phone made it and when it arrived."),
    h("button", { type: "button", onclick: d.download, disabled: d.busy }, "Download my data"),
    d.deletion ? asked(d.deletion, tz) : deletion(d),
    notice(d.notice));
}

function asked(deletion, tz) {
  return h("p", { id: "deletion-asked" },
    `You asked your clinic to delete your data on ${longDate(deletion.requested_at, tz)}.`,
    deletion.delete_by ? ` They will delete it by ${longDate(deletion.delete_by, tz)}; this app then signs out.` : "");
}

function deletion(d) {
  if (!d.confirming) {
    return h("p", { class: "actions" },
      h("button", { type: "button", class: "danger", onclick: d.askToDelete }, "Ask my clinic to delete my data"));
  }
  return h("div", { class: "confirm", role: "group", "aria-labelledby": "confirm-delete" },
    h("p", { id: "confirm-delete" }, "Ask your clinic to delete everything about you? They will do it within 30 days. " +
      "Your plan and reminders stop then, and this can't be undone. Download your data first if you want a copy."),
    h("p", { class: "actions" },
      h("button", { type: "button", class: "danger", onclick: d.confirmDelete, disabled: d.busy }, "Yes, ask my clinic to delete my data"),
      h("button", { type: "button", class: "quiet", onclick: d.cancel }, "Cancel")));
}
