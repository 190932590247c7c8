import { h } from "../dom.js";

export function enrolling() {
  return [h("h1", {}, "Setting up your aftercare…"), h("p", { class: "sub" }, "This takes a moment.")];
}

const FAILED = {
  offline: ["You're offline", "Connect to the internet and open the link again to finish setting up."],
  later: ["Not just now", "Too many tries from this network, or our server is busy. This page will try again by itself: keep it open."],
};

// kind: offline | later (429 or the server's trouble: the link may well be fine) | invalid.
export function enrollFailed(message, kind) {
  const [title, text] = FAILED[kind] || ["This link doesn't work", message];
  return [
    h("h1", {}, title),
    h("p", { class: "card", role: "alert" }, text),
    kind === "invalid" && h("p", {}, "Contact your clinic and ask them to send you a new link."),
  ];
}

export function welcome() {
  return [
    h("h1", {}, "Welcome to Aftercue"),
    h("p", { class: "card" }, "Open the link your clinic sent you on this phone to see your aftercare plan."),
  ];
}

// "1 tick … hasn't", "3 ticks … haven't".
export const ticks = (n) => `${n} ${n === 1 ? "tick" : "ticks"}`;
export const hasNot = (n) => (n === 1 ? "hasn't" : "haven't");
export const them = (n) => (n === 1 ? "it" : "them");

// The server refuses this phone's token: the clinic disconnected it. No plan, no ticks; the
// unsent ones are counted and wait here for a new link (d: { clinic, unsent, download }).
export function disconnected(d) {
  return [
    h("h1", {}, "This phone was disconnected"),
    h("p", { class: "card" }, "This phone was disconnected by your clinic. It no longer shows your plan or takes ticks."),
    h("p", {}, `To reconnect, ask ${d.clinic} for a new link and open it on this phone.`),
    d.unsent > 0 && h("section", { class: "card", id: "unsent" },
      h("p", {}, `${ticks(d.unsent)} made on this phone ${hasNot(d.unsent)} reached ${d.clinic}. This phone keeps ${them(d.unsent)} and sends ${them(d.unsent)} once you open the new link.`),
      h("p", { class: "actions" }, h("button", { type: "button", onclick: d.download }, "Download them"))),
  ];
}

const whose = (client) => `${client.name}'s`;

// Another client's link on a phone with a plan: both named, and what happens to unsent ticks.
export function switchQuestion(q) {
  const { profile: old, incoming: next } = q;
  const shows = q.disconnected ? "showed" : "shows";
  return [
    h("h1", {}, "Switch to another plan?"),
    h("p", { class: "card", id: "switch-question" },
      `This phone ${shows} ${whose(old)} aftercare from ${old.clinic}. `,
      `The link is for ${whose(next)} aftercare from ${next.clinic}. Switch to the plan in this link?`),
    q.sent > 0 && h("p", {}, `${ticks(q.sent)} made on this phone ${q.sent === 1 ? "was" : "were"} sent to ${old.clinic} first.`),
    q.unsent > 0 && h("p", { class: "card", id: "unsent" },
      `${ticks(q.unsent)} made on this phone ${hasNot(q.unsent)} reached ${old.clinic}. `,
      q.disconnected
        ? `This phone keeps ${them(q.unsent)} apart from ${whose(next)} plan, never sending ${them(q.unsent)} into it, until you download or discard ${them(q.unsent)}.`
        : `This phone keeps ${them(q.unsent)} apart from ${whose(next)} plan and sends ${them(q.unsent)} to ${old.clinic} once it can.`),
    h("p", { class: "muted" }, `Switching signs this phone out of ${whose(old)} plan.`),
    h("p", { class: "actions" },
      h("button", { type: "button", onclick: () => q.answer(true) }, `Switch to ${whose(next)} plan`),
      h("button", { type: "button", class: "quiet", onclick: () => q.answer(false) }, `Keep ${whose(old)} plan`)),
  ];
}
