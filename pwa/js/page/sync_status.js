// What the header says about sending ticks, and the page's own retries after a failed send:
// one at a time, backing off from 2 s to 5 min, never sooner than the server's Retry-After.
import { retryDelay } from "../shared/api.js";
import { status, syncNow, willRetry } from "../shared/sync.js";

const WAITING = "Saved on this phone — will send when online";
const LABELS = {
  sending: () => "Sending…",
  synced: () => "Up to date",
  offline: ({ left }) => (left ? WAITING : "Offline"),
  pending: () => WAITING,
  error: () => "Saved on this phone — will retry",
  "signed-out": () => "Disconnected",
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
