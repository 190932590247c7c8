import { h, said } from "../dom.js";
import { name } from "./enroll.js";

// Ticks made for a plan this phone no longer shows, one card per earlier device: counted, and
// downloaded or discarded only when the client chooses.
export function keptCards(k) {
  return k.groups.filter((g) => g.events.length > 0).map((g) => {
    const n = g.events.length;
    const who = { name: name(g.client.name), clinic: name(g.client.clinic), count: n };
    return h("section", { class: "card kept", "aria-labelledby": `kept-${g.id}` },
      h("h2", { id: `kept-${g.id}` }, said("kept.title", { name: name(g.client.name) })),
      h("p", {}, said(g.token ? "kept.waiting" : "kept.refused", who)),
      h("p", { class: "actions" },
        h("button", { type: "button", onclick: () => k.download(g) }, said("kept.download")),
        h("button", { type: "button", class: "danger", onclick: () => k.discard(g) }, said("kept.discard"))));
  });
}
