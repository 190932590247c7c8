// The check-in: its row on Today, its few questions, and the "Call your clinic now" screen a
// red flag opens at once, offline too. Its words are kept together here for the catalogs.
import { h } from "../dom.js";

export const TEXT = {
  answer: "Answer",
  open: "To answer",
  answered: "Answered",
  flagged: "Answered: call your clinic",
  again: "How to reach your clinic",
  send: "Send",
  cancel: "Not now",
  yes: "Yes",
  no: "No",
  scaleLow: "0: none",
  scaleHigh: "10: the worst",
  call: "Call your clinic now",
  because: "Your answers need a look from your clinic today:",
  callButton: (clinic) => `Call ${clinic}`,
  noPhone: "Your clinic has not given a phone number in the app: use the number on your booking.",
  meanwhile: "Meanwhile",
  yourClinic: "your clinic",
  back: "Back to Today",
};

// The row: large "Answer" button, or what was answered. `answered`: the kept check-in, if any.
export function checkinRow(item, answered, ctx) {
  const word = answered ? (answered.red_flags.length ? TEXT.flagged : TEXT.answered) : TEXT.open;
  return h("li", { class: "task checkin", "data-state": answered ? "answered" : "open" },
    h("div", { class: "row" },
      h("span", { class: "mark", "aria-hidden": "true" }, answered ? "✓" : "?"),
      h("div", { class: "text" },
        h("span", { class: "title" }, item.title),
        h("span", { class: "said" }, h("span", { class: "word" }, word))),
      !answered && h("button", { type: "button", class: "answer", onclick: () => ctx.openCheckin(item.id) },
        TEXT.answer, h("span", { class: "sr" }, `: ${item.title}`)),
      answered?.red_flags.length > 0 && h("button", { type: "button", class: "answer", onclick: () => ctx.showCall(answered) },
        TEXT.again)));
}

// The questions, one fieldset each, every answer a large label around its radio.
export function checkinForm(checkin, occurrence, ctx) {
  const form = h("form", {
    class: "card checkin-form", "aria-labelledby": "checkin-h",
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
  h("h1", { id: "checkin-h" }, checkin.title),
  checkin.questions.map((q) => h("fieldset", { class: "choices" },
    h("legend", {}, q.label),
    choices(q).map(([value, label]) => h("label", { class: "choice" },
      h("input", { type: "radio", name: q.id, value: String(value), required: true }), h("span", {}, label))))),
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "primary" }, TEXT.send),
    h("button", { type: "button", class: "quiet", onclick: () => ctx.openCheckin(null) }, TEXT.cancel)));
  return form;
}

function choices(question) {
  if (question.kind === "yes_no") return [["yes", TEXT.yes], ["no", TEXT.no]];
  if (question.kind === "choice") return question.options.map((o) => [o.value, o.label]);
  return Array.from({ length: 11 }, (_, n) => [n, n === 0 ? TEXT.scaleLow : n === 10 ? TEXT.scaleHigh : String(n)]);
}

// The call screen: why, the clinic's number as a tel: link, and what to do meanwhile.
export function callScreen(checkin, record, profile, ctx) {
  const reasons = new Map(checkin.red_flags.map((f) => [f.id, f.reason]));
  const phone = profile?.clinic_phone;
  const clinic = profile?.clinic || TEXT.yourClinic;
  return h("section", { class: "card call-now", role: "alert", "aria-labelledby": "call-h" },
    h("h1", { id: "call-h" }, TEXT.call),
    h("p", {}, TEXT.because),
    h("ul", {}, record.red_flags.map((id) => h("li", {}, reasons.get(id) || id))),
    phone
      ? h("a", { class: "call button primary", href: `tel:${phone.replace(/[^+\d]/g, "")}` }, TEXT.callButton(clinic), h("span", {}, ` ${phone}`))
      : h("p", {}, TEXT.noPhone),
    h("h2", {}, TEXT.meanwhile),
    h("p", {}, checkin.meanwhile),
    h("button", { type: "button", onclick: () => ctx.closeCall() }, TEXT.back));
}
