// What only the client knows: the first-run questions screen, Today's card and Settings' "About
// you". ctx.questions is page/questions.js's model.
import { h } from "../dom.js";
import { notice } from "../notice.js";

const OFFLINE = "No connection? Your answers stay on this phone and are sent when it's online.";

// The screen shown once after enrollment while questions are unanswered: one form, big choices.
export function firstRun(ctx) {
  const q = ctx.questions;
  const notNow = h("button", { type: "button", class: "quiet", onclick: q.later }, "Not now");
  return [
    h("h1", {}, "About you"),
    h("p", { class: "sub" }, `${counted(q.unanswered.length)} your plan. Your clinic left ${q.unanswered.length === 1 ? "it" : "them"} for you to answer.`),
    answersForm(q, q.unanswered, "first", "Save", "Choose an answer, or tap “Not now”.", notNow),
    notice(q.notice),
    h("p", { class: "muted" }, OFFLINE),
  ];
}

// Today: while a question is unanswered, a small card asks; then, how the answers went.
export function questionsCard(ctx) {
  const q = ctx.questions;
  if (!q) return null;
  if (q.unanswered.length) {
    return h("section", { class: "card questions-card", "aria-labelledby": "questions-card-h" },
      notice(q.notice),
      h("p", { id: "questions-card-h" }, `${counted(q.unanswered.length)} your plan`),
      h("button", { type: "button", onclick: q.ask }, "Answer"));
  }
  if (q.notice) return h("section", { class: "card questions-card", "aria-label": "Your answers" }, notice(q.notice));
  if (q.waiting) return h("section", { class: "card questions-card", "aria-label": "Your answers" }, h("p", {}, WAITING));
  return null;
}

const WAITING = "Your answers are saved on this phone. They reach your clinic, and change your plan, when it's online.";

// Settings: every question with its answer, changeable; one not answered yet says what the plan
// assumes meanwhile.
export function aboutYou(ctx) {
  const q = ctx.questions;
  if (!q || !q.items.length) return null;
  const form = answersForm(q, q.items, "about", "Save my answers", "No answer changed.");
  return h("section", { class: "card", id: "about-you", "aria-labelledby": "about-you-h" },
    h("h2", { id: "about-you-h" }, "About you"),
    h("p", { class: "muted" }, "Your plan follows these answers. Change one and your plan changes with it; ticks are kept."),
    form,
    q.waiting && h("p", { class: "muted", id: "answers-waiting" }, WAITING),
    notice(q.notice));
}

// One fieldset of radio choices per question. Save sends only the answers changed here: one
// the clinic changed meanwhile is not overwritten with what this screen showed.
function answersForm(q, items, prefix, label, unchanged, ...more) {
  const onsubmit = (event) => {
    event.preventDefault();
    const chosen = new FormData(event.target);
    const changed = items.map((i) => [i.id, chosen.get(`${prefix}-${i.id}`)]).filter(([id, value]) => value && value !== items.find((i) => i.id === id).answer);
    q.save(Object.fromEntries(changed), unchanged);
  };
  return h("form", { class: "questions", onsubmit },
    items.map((item) => h("fieldset", {},
      h("legend", {}, item.label),
      item.answer === null && h("p", { class: "muted" }, `Not answered yet: your plan assumes “${labelOf(item, item.planned)}”.`),
      item.options.map((option) => {
        const id = `${prefix}-${item.id}-${option.value}`;
        const checked = (q.chosen[`${prefix}-${item.id}`] ?? item.answer) === option.value;
        return h("label", { class: "choice", for: id },
          h("input", { type: "radio", id, name: `${prefix}-${item.id}`, value: option.value, checked,
            onchange: () => q.choose(prefix, item.id, option.value) }),
          option.label);
      }))),
    h("p", { class: "actions" }, h("button", { type: "submit" }, label), more));
}

const labelOf = (item, value) => item.options.find((o) => o.value === value)?.label ?? value;
const counted = (n) => (n === 1 ? "1 question changes" : `${n} questions change`);
