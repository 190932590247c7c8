import { h } from "../dom.js";
import { hasNot, them, ticks } from "./enroll.js";

// Ticks made for a plan this phone no longer shows, one card per earlier device: counted, and
// downloaded or discarded only when the client chooses.
export function keptCards(k) {
  return k.groups.filter((g) => g.events.length > 0).map((g) => {
    const n = g.events.length;
    const whose = `${g.client.name}'s plan at ${g.client.clinic}`;
    return h("section", { class: "card kept", "aria-label": `Ticks for ${g.client.name}'s plan` },
      h("h2", {}, `Ticks for ${g.client.name}'s plan`),
      h("p", {}, g.token
        ? `${ticks(n)} made for ${whose} ${hasNot(n)} reached ${g.client.clinic} yet. This phone sends ${them(n)} there when it can, never into another plan.`
        : `${ticks(n)} made for ${whose} could not be sent: ${g.client.clinic} disconnected that phone. This phone keeps ${them(n)} apart from any other plan until you download or discard ${them(n)}.`),
      h("p", { class: "actions" },
        h("button", { type: "button", onclick: () => k.download(g) }, "Download them"),
        h("button", { type: "button", class: "danger", onclick: () => k.discard(g) }, "Discard them")));
  });
}
