import { h } from "../dom.js";

// Every text of this card, together (for the translation catalogs).
const TEXT = {
  heading: "Photos of your healing",
  intro: "Take a photo of the treated area now and then: your clinic sees how it heals, day by day.",
  add: "Add a photo",
  none: "No photos yet.",
  waiting: "Waiting to upload",
  uploaded: "Sent to your clinic",
  refused: "Not sent",
  failed: "That photo could not be read. Try another one.",
  alt: "Your photo from",
};

let shown = [];  // object URLs drawn last time, let go at the next redraw

export function photosCard(ctx) {
  for (const url of shown) URL.revokeObjectURL(url);
  shown = [];
  const chosen = (event) => {
    const [file] = event.target.files;
    if (file) ctx.addPhoto(file);
  };
  return h("section", { class: "card", id: "photos", "aria-labelledby": "photos-h" },
    h("h2", { id: "photos-h" }, TEXT.heading),
    h("p", { class: "muted" }, TEXT.intro),
    // The input itself is hidden; its label is the button (and shows the input's focus).
    h("label", { class: "button", for: "photo-input" }, TEXT.add),
    h("input", { id: "photo-input", class: "sr", type: "file", accept: "image/*", capture: "environment", onchange: chosen }),
    ctx.photoFailed && h("p", { class: "missed", role: "alert" }, TEXT.failed),
    ctx.photos.length
      ? h("ul", { class: "plain photos" }, ctx.photos.map(photoItem))
      : h("p", {}, TEXT.none));
}

function photoItem(photo) {
  const url = URL.createObjectURL(photo.blob);
  shown.push(url);
  const state = TEXT[photo.state] || TEXT.waiting;
  return h("li", { "data-photo": photo.id, "data-state": photo.state },
    h("img", { src: url, alt: `${TEXT.alt} ${photo.taken_at.slice(0, 10)}`, width: 96 }),
    h("span", {}, photo.reason ? `${state}: ${photo.reason}` : state));
}
