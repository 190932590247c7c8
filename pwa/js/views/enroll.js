import { h } from "../dom.js";

export function enrolling() {
  return [h("h1", {}, "Setting up your aftercare…"), h("p", { class: "sub" }, "This takes a moment.")];
}

export function enrollFailed(message, offline) {
  return [
    h("h1", {}, offline ? "You're offline" : "This link doesn't work"),
    h("p", { class: "card", role: "alert" }, offline
      ? "Connect to the internet and open the link again to finish setting up."
      : message),
    !offline && h("p", {}, "Contact your clinic and ask them to send you a new link."),
  ];
}

export function welcome() {
  return [
    h("h1", {}, "Welcome to Aftercue"),
    h("p", { class: "card" }, "Open the link your clinic sent you on this phone to see your aftercare plan."),
  ];
}
