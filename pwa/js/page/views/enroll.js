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

// The server no longer knows this phone's token: the clinic revoked it.
export function signedOut() {
  return [h("h1", {}, "Signed out"), h("p", { class: "card" }, "This phone was signed out by your clinic. Ask them for a new link.")];
}
