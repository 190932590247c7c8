import { h, said } from "../dom.js";
import { longDate } from "../../shared/format.js";
import { notice } from "../notice.js";
import { app } from "./enroll.js";

// Drawn again on its own when it changes, so the rest of Settings keeps what was typed.
export function redrawMyData(d, tz) {
  document.getElementById("my-data")?.replaceWith(myDataCard(d, tz));
}

export function myDataCard(d, tz) {
  return h("section", { class: "card", id: "my-data", "aria-labelledby": "my-data-h" },
    h("h2", { id: "my-data-h" }, said("my_data.title")),
    h("p", { class: "muted" }, said("my_data.what", { app: app() })),
    h("button", { type: "button", onclick: d.download, disabled: d.busy }, said("my_data.download")),
    d.deletion ? asked(d.deletion, tz) : deletion(d),
    notice(d.notice));
}

function asked(deletion, tz) {
  const date = (instant) => h("time", { datetime: instant }, longDate(instant, tz));
  return h("p", { id: "deletion-asked" },
    said("my_data.asked", { date: date(deletion.requested_at) }),
    deletion.delete_by && [" ", said("my_data.delete_by", { date: date(deletion.delete_by) })]);
}

function deletion(d) {
  if (!d.confirming) {
    return h("p", { class: "actions" },
      h("button", { type: "button", class: "danger", onclick: d.askToDelete }, said("my_data.ask")));
  }
  return h("div", { class: "confirm", role: "group", "aria-labelledby": "confirm-delete" },
    h("p", { id: "confirm-delete" }, said("my_data.confirm", { days: 30 })),
    h("p", { class: "actions" },
      h("button", { type: "button", class: "danger", onclick: d.confirmDelete, disabled: d.busy }, said("my_data.yes")),
      h("button", { type: "button", class: "quiet", onclick: d.cancel }, said("my_data.cancel"))));
}
