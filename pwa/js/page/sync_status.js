// What the header says about sending ticks, and the page's own retries after a failed send:
// one at a time, backing off from 2 s to 5 min, never sooner than the server's Retry-After.
import { retryDelay } from "../shared/api.js";
import { t } from "../shared/i18n.js";
import { status, syncNow, willRetry } from "../shared/sync.js";

const LABELS = {
  sending: () => t("sync.sending"),
  synced: () => t("sync.synced"),
  offline: ({ left }) => (left ? t("sync.waiting") : t("sync.offline")),
  pending: () => t("sync.waiting"),
  error: () => t("sync.retry"),
  "signed-out": () => t("sync.disconnected"),
};
const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 300000;

export function showSyncStatus(element, onSignedOut) {
  let retry = FIRST_RETRY_MS;
  let retryTimer = null;
  status.addEventListener("change", ({ detail }) => {
    element.textContent = LABELS[detail.state](detail);
    if (detail.state === "sending") return;
    clearTimeout(retryTimer);  // one retry at a time, however many ticks failed to send
    if (willRetry(detail)) {
      retryTimer = setTimeout(syncNow, retryDelay(retry, detail.error));
      retry = Math.min(retry * 2, LAST_RETRY_MS);
    } else retry = FIRST_RETRY_MS;
    if (detail.state === "signed-out") onSignedOut();
  });
}
