// The message under a form or card, { text, error }: how one is made, and how it is drawn.
import { ApiError, isOffline } from "../shared/api.js";
import { h } from "./dom.js";
import { t } from "../shared/i18n.js";

export const success = (text) => ({ text, error: false });

// What went wrong, in the client's words: no connection, the first invalid field, or the
// server's message (in the client's language, the server's to say). `doing` finishes "Connect
// to the internet to …"; `otherwise` speaks for a failure in this browser, which has no message
// a client could act on.
export function problem(error, doing, otherwise = t("problem.phone")) {
  if (isOffline(error)) return { text: t("problem.offline", { doing }), error: true };
  if (!(error instanceof ApiError)) return { text: otherwise, error: true };
  return { text: Object.values(error.fields).flat()[0] || error.message, error: true };
}

// An error is an alert, read out at once; good news waits for a pause.
export function notice(n) {
  return n && h("p", n.error ? { class: "error", role: "alert" } : { class: "ok", "aria-live": "polite" }, n.text);
}
