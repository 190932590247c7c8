// Ticks kept for another plan (shared/kept.js), for the page: download them, or discard them
// after a question; nothing else removes them.
import { localDate } from "../shared/format.js";
import { discard } from "../shared/kept.js";
import { downloadJson } from "./files.js";
import { t } from "../shared/i18n.js";

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
      if (!confirm(t("kept.discard_question", { count: n, name: g.client.name, clinic: g.client.clinic }))) return;
      await discard(g.id);
      redraw();
    },
  };
}
