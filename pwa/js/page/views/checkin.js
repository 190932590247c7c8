// The check-in: its row on Today, its few questions, and the "Call your clinic now" screen a
// red flag opens at once, offline too.
import { h, said } from "../dom.js";
import { number, t } from "../../shared/i18n.js";

const protocol = (tag, attributes, text) => h(tag, { ...attributes, "data-source": "protocol" }, text);

// The row: large "Answer" button, or what was answered. `answered`: the kept check-in, if any.
export function checkinRow(item, answered, ctx) {
  const word = said(answered ? (answered.red_flags.length ? "checkin.flagged" : "checkin.answered") : "checkin.open");
  return h("li", { class: "task checkin", "data-state": answered ? "answered" : "open" },
    h("div", { class: "row" },
      h("span", { class: "mark", "aria-hidden": "true" }, answered ? "✓" : "?"),
      h("div", { class: "text" },
        protocol("span", { class: "title" }, item.title),
        h("span", { class: "said" }, h("span", { class: "word" }, word))),
      !answered && h("button", { type: "button", class: "answer", onclick: () => ctx.openCheckin(item.id) },
        said("checkin.answer"), h("span", { class: "sr" }, ": ", protocol("span", {}, item.title))),
      answered?.red_flags.length > 0 && h("button", { type: "button", class: "answer", onclick: () => ctx.showCall(answered) },
        said("checkin.again"))));
}

// The questions, one fieldset each, every answer a large label around its radio; then an optional
// photo of the treated area. `draft`: the form's occurrence, id and answers so far (app.js).
export function checkinForm(checkin, draft, ctx) {
  const occurrence = draft.open;
  const added = ctx.photos.filter((p) => p.check_in_id === draft.id).length;
  const chosen = (event) => {
    const [file] = event.target.files;
    if (file) ctx.addPhoto(file, draft.id);
  };
  const form = h("form", {
    class: "card checkin-form", "aria-labelledby": "checkin-h",
    onchange: (event) => event.target.type === "radio" && ctx.draftCheckin(event.target.name, event.target.value),
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.currentTarget);
      const answers = Object.fromEntries(checkin.questions.map((q) => {
        const value = data.get(q.id);
        return [q.id, q.kind === "scale" ? Number(value) : value];
      }));
      ctx.answerCheckin(occurrence, answers);
    },
  },
  protocol("h1", { id: "checkin-h" }, checkin.title),
  checkin.questions.map((q) => h("fieldset", { class: "choices" },
    protocol("legend", {}, q.label),
    choices(q).map(([value, label]) => h("label", { class: "choice" },
      h("input", { type: "radio", name: q.id, value: String(value), required: true, checked: draft.answers[q.id] === String(value) }), label)))),
  h("div", { class: "checkin-photo" },
    h("p", { class: "muted", id: "checkin-photo-hint" }, said("checkin.photo_hint")),
    // As on Progress: the input is hidden, its label is the button.
    h("label", { class: "button", for: "checkin-photo-input" }, said("checkin.add_photo")),
    h("input", { id: "checkin-photo-input", class: "sr", type: "file", accept: "image/*", capture: "environment", "aria-describedby": "checkin-photo-hint", onchange: chosen }),
    h("p", { role: "status" }, added > 0 && said("checkin.photo_added")),
    ctx.photoFailed && h("p", { class: "missed", role: "alert" }, said("photos.failed"))),
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "primary" }, said("checkin.send")),
    h("button", { type: "button", class: "quiet", onclick: () => ctx.openCheckin(null) }, said("checkin.cancel"))));
  return form;
}

function choices(question) {
  if (question.kind === "yes_no") return [["yes", h("span", {}, said("checkin.yes"))], ["no", h("span", {}, said("checkin.no"))]];
  if (question.kind === "choice") return question.options.map((o) => [o.value, protocol("span", {}, o.label)]);
  const word = (n) => (n === 0 ? said("checkin.scale_low") : n === 10 ? said("checkin.scale_high") : number(n));
  return Array.from({ length: 11 }, (_, n) => [n, h("span", {}, word(n))]);
}

// The call screen: why, the clinic's number as a tel: link, and what to do meanwhile.
export function callScreen(checkin, record, profile, ctx) {
  const reasons = new Map(checkin.red_flags.map((f) => [f.id, f.reason]));
  const phone = profile?.clinic_phone;
  const clinic = profile?.clinic ? h("bdi", {}, profile.clinic) : t("checkin.your_clinic");
  return h("section", { class: "card call-now", role: "alert", "aria-labelledby": "call-h" },
    h("h1", { id: "call-h" }, said("checkin.call")),
    h("p", {}, said("checkin.because")),
    h("ul", {}, record.red_flags.map((id) => protocol("li", {}, reasons.get(id) || id))),
    phone
      ? h("a", { class: "call button primary", href: `tel:${phone.replace(/[^+\d]/g, "")}` }, said("checkin.call_clinic", { clinic }), " ", h("bdi", { dir: "ltr" }, phone))
      : h("p", {}, said("checkin.no_phone")),
    h("h2", {}, said("checkin.meanwhile")),
    protocol("p", {}, checkin.meanwhile),
    h("button", { type: "button", onclick: () => ctx.closeCall() }, said("checkin.back")));
}
