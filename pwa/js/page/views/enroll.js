import { h, said } from "../dom.js";

export function enrolling() {
  return [h("h1", {}, said("enroll.setting_up")), h("p", { class: "sub" }, said("enroll.moment"))];
}

// kind: offline | later (429 or the server's trouble: the link may well be fine) | invalid.
export function enrollFailed(message, kind) {
  const known = kind === "offline" || kind === "later";
  return [
    h("h1", {}, said(known ? `enroll.${kind}.title` : "enroll.invalid.title")),
    // The server's own message for a refused link: in the language the server speaks.
    h("p", { class: "card", role: "alert" }, known ? said(`enroll.${kind}.text`) : h("span", { "data-source": "server" }, message)),
    kind === "invalid" && h("p", {}, said("enroll.invalid.ask")),
  ];
}

export function welcome() {
  return [
    h("h1", {}, said("welcome.title", { app: app() })),
    h("p", { class: "card" }, said("welcome.text")),
  ];
}

// The product's name: the same in every language.
export const app = () => h("span", { translate: "no" }, "Aftercue");
// A name that is data, not the app's words, isolated: a Latin name reads right inside Arabic.
export const name = (text) => h("bdi", {}, text);

// The server refuses this phone's token: the clinic disconnected it. No plan, no ticks; the
// unsent ones are counted and wait here for a new link (d: { clinic, unsent, download }).
export function disconnected(d) {
  const clinic = d.clinic === null ? said("disconnected.your_clinic") : name(d.clinic);
  return [
    h("h1", {}, said("disconnected.title")),
    h("p", { class: "card" }, said("disconnected.text")),
    h("p", {}, said("disconnected.reconnect", { clinic })),
    d.unsent > 0 && h("section", { class: "card", id: "unsent" },
      h("p", {}, said("disconnected.unsent", { count: d.unsent, clinic: d.clinic === null ? said("disconnected.your_clinic") : name(d.clinic) })),
      h("p", { class: "actions" }, h("button", { type: "button", onclick: d.download }, said("kept.download")))),
  ];
}

// Another client's link on a phone with a plan: both named, and what happens to unsent ticks.
export function switchQuestion(q) {
  const { profile: old, incoming: next } = q;
  const [oldName, nextName] = [() => name(old.name), () => name(next.name)];
  const oldClinic = () => name(old.clinic);
  return [
    h("h1", {}, said("switch.title")),
    h("p", { class: "card", id: "switch-question" },
      said(q.disconnected ? "switch.showed" : "switch.shows", { name: oldName(), clinic: oldClinic() }), " ",
      said("switch.link_for", { name: nextName(), clinic: name(next.clinic) })),
    q.sent > 0 && h("p", {}, said("switch.sent", { count: q.sent, clinic: oldClinic() })),
    q.unsent > 0 && h("p", { class: "card", id: "unsent" },
      said("switch.unsent", { count: q.unsent, clinic: oldClinic() }), " ",
      q.disconnected
        ? said("switch.kept_apart", { count: q.unsent, name: nextName() })
        : said("switch.sent_later", { count: q.unsent, name: nextName(), clinic: oldClinic() })),
    h("p", { class: "muted" }, said("switch.signs_out", { name: oldName() })),
    h("p", { class: "actions" },
      h("button", { type: "button", onclick: () => q.answer(true) }, said("switch.yes", { name: nextName() })),
      h("button", { type: "button", class: "quiet", onclick: () => q.answer(false) }, said("switch.no", { name: oldName() }))),
  ];
}
