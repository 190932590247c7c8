import { h, said } from "../dom.js";
import { day, localDate } from "../../shared/format.js";
import { t } from "../../shared/i18n.js";

let shown = [];  // object URLs drawn last time, let go at the next redraw

export function photosCard(ctx) {
  for (const url of shown) URL.revokeObjectURL(url);
  shown = [];
  const chosen = (event) => {
    const [file] = event.target.files;
    if (file) ctx.addPhoto(file);
  };
  return h("section", { class: "card", id: "photos", "aria-labelledby": "photos-h" },
    h("h2", { id: "photos-h" }, said("photos.heading")),
    h("p", { class: "muted" }, said("photos.intro")),
    // The input itself is hidden; its label is the button (and shows the input's focus).
    h("label", { class: "button", for: "photo-input" }, said("photos.add")),
    h("input", { id: "photo-input", class: "sr", type: "file", accept: "image/*", capture: "environment", onchange: chosen }),
    ctx.photoFailed && h("p", { class: "missed", role: "alert" }, said("photos.failed")),
    ctx.photos.length
      ? h("ul", { class: "plain photos" }, ctx.photos.map((photo) => photoItem(photo, ctx.plan?.timezone)))
      : h("p", {}, said("photos.none")));
}

// A photo's state in words; a refusal carries the server's reason, shown as it came.
const STATES = { waiting: "photos.waiting", uploaded: "photos.uploaded", refused: "photos.refused" };

function photoItem(photo, tz) {
  const url = URL.createObjectURL(photo.blob);
  shown.push(url);
  const state = STATES[photo.state] || STATES.waiting;
  return h("li", { "data-photo": photo.id, "data-state": photo.state },
    h("img", { src: url, alt: t("photos.alt", { day: day(localDate(photo.taken_at, tz || "UTC")) }), width: 96 }),
    h("span", {}, photo.reason
      ? said("photos.refused_because", { reason: h("span", { "data-source": "server" }, photo.reason) })
      : said(state)));
}
