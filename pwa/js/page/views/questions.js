// What only the client knows: the first-run questions screen, Today's card and Settings' "About
// you". ctx.questions is page/questions.js's model. Questions and their choices are the
// protocol's texts, translated with it.
import { h, said } from "../dom.js";
import { notice } from "../notice.js";
import { t } from "../../shared/i18n.js";

const protocol = (tag, attributes, ...text) => h(tag, { ...attributes, "data-source": "protocol" }, ...text);

// The screen shown once after enrollment while questions are unanswered: one form, big choices.
export function firstRun(ctx) {
  const q = ctx.questions;
  const notNow = h("button", { type: "button", class: "quiet", onclick: q.later }, said("questions.not_now"));
  return [
    h("h1", {}, said("questions.title")),
    h("p", { class: "sub" }, said("questions.intro", { count: q.unanswered.length })),
    answersForm(q, q.unanswered, "first", t("questions.save"), t("questions.choose_or_not_now"), notNow),
    notice(q.notice),
    h("p", { class: "muted" }, said("questions.offline")),
  ];
}

// Today: while a question is unanswered, a small card asks; then, how the answers went.
export function questionsCard(ctx) {
  const q = ctx.questions;
  if (!q) return null;
  if (q.unanswered.length) {
    return h("section", { class: "card questions-card", "aria-labelledby": "questions-card-h" },
      notice(q.notice),
      h("p", { id: "questions-card-h" }, said("questions.change_plan", { count: q.unanswered.length })),
      h("button", { type: "button", onclick: q.ask }, said("questions.answer")));
  }
  if (q.notice) return h("section", { class: "card questions-card", "aria-label": t("questions.yours") }, notice(q.notice));
  if (q.waiting) return h("section", { class: "card questions-card", "aria-label": t("questions.yours") }, h("p", {}, said("questions.waiting")));
  return null;
}

// Settings: every question with its answer, changeable; one not answered yet says what the plan
// assumes meanwhile.
export function aboutYou(ctx) {
  const q = ctx.questions;
  if (!q || !q.items.length) return null;
  const form = answersForm(q, q.items, "about", t("questions.save_mine"), t("questions.unchanged"));
  return h("section", { class: "card", id: "about-you", "aria-labelledby": "about-you-h" },
    h("h2", { id: "about-you-h" }, said("questions.title")),
    h("p", { class: "muted" }, said("questions.follows")),
    form,
    q.waiting && h("p", { class: "muted", id: "answers-waiting" }, said("questions.waiting")),
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
      protocol("legend", {}, item.label),
      item.answer === null && h("p", { class: "muted" }, said("questions.assumes", { answer: protocol("span", {}, labelOf(item, item.planned)) })),
      item.options.map((option) => {
        const id = `${prefix}-${item.id}-${option.value}`;
        const checked = (q.chosen[`${prefix}-${item.id}`] ?? item.answer) === option.value;
        return h("label", { class: "choice", for: id },
          h("input", { type: "radio", id, name: `${prefix}-${item.id}`, value: option.value, checked,
            onchange: () => q.choose(prefix, item.id, option.value) }),
          protocol("span", {}, option.label));
      }))),
    h("p", { class: "actions" }, h("button", { type: "submit" }, label), more));
}

const labelOf = (item, value) => item.options.find((o) => o.value === value)?.label ?? value;
