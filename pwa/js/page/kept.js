// Ticks kept for another plan (shared/kept.js), for the page: download them, or discard them
// after a question; nothing else removes them.
import { localDate } from "../shared/format.js";
import { discard } from "../shared/kept.js";
import { downloadJson } from "./files.js";

const today = () => localDate(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone);

// client: { name, clinic }; events: as shared/kept.js describe() gives them.
export function downloadTicks(client, events) {
  downloadJson(`aftercue-unsent-ticks-${today()}.json`, { client: { name: client.name, clinic: client.clinic }, ticks: events });
}

export function keptActions(groups, redraw) {
  return {
    groups,
    download: (g) => downloadTicks(g.client, g.events),
    discard: async (g) => {
      const n = g.events.length;
      if (!confirm(`Discard ${n} ${n === 1 ? "tick" : "ticks"} made for ${g.client.name}'s plan? ${g.client.clinic} will never see them.`)) return;
      await discard(g.id);
      redraw();
    },
  };
}
