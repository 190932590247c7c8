// Reminders in the service worker: a push becomes a notification, and its buttons act without
// opening the app. "Done" goes through the outbox like a tick, so it is sent once, even offline.
import { request } from "../shared/api.js";
import { isDisconnected } from "../shared/connection.js";
import { doneSet } from "../shared/fold.js";
import { record } from "../shared/outbox.js";
import { all, get } from "../shared/store.js";
import { syncLater, willRetry } from "../shared/sync.js";
import { openApp, syncAndTell } from "./windows.js";
import { useClientLanguage } from "./words.js";
import { t } from "../shared/i18n.js";

// The product's name, and a body in the client's language (the server's own are written in it).
export const NEUTRAL = { title: "Aftercue", get body() { return t("notify.neutral"); } };
const ICON = "/icons/icon-192.png";

const isText = (value) => typeof value === "string" && value.length > 0;

// The push's text (the server's JSON payload) -> what showNotification() takes. Pure.
// Whatever arrives, there is something to show: a browser that sees a push without a
// notification may stop the subscription (Safari does).
export function notificationFor(text) {
  let payload = null;
  try { payload = JSON.parse(text); } catch { /* shown as the neutral notification */ }
  if (!payload || typeof payload !== "object" || !isText(payload.title)) {
    return { title: NEUTRAL.title, options: { body: NEUTRAL.body, icon: ICON, data: { url: "/" } } };
  }
  const occurrences = Array.isArray(payload.occurrences) ? payload.occurrences.filter(isText) : [];
  const reminder = Number.isInteger(payload.reminder) ? payload.reminder : null;
  const actions = [];
  if (occurrences.length) actions.push({ action: "done", title: t("notify.done") });
  if (payload.snooze === true && reminder !== null) actions.push({ action: "snooze", title: t("notify.snooze", { minutes: 30 }) });
  const options = {
    body: isText(payload.body) ? payload.body : "",
    icon: ICON,
    data: { ...payload, occurrences, reminder, url: "/" },
    actions,
  };
  // The same tag replaces a notification still on screen: a resend never shows twice.
  if (isText(payload.tag)) options.tag = payload.tag;
  return { title: payload.title, options };
}

export async function showPush(registration, data) {
  await useClientLanguage().catch(() => {});
  let text = null;
  try { text = data ? data.text() : null; } catch { /* an unreadable body: shown as neutral */ }
  const { title, options } = notificationFor(text);
  try {
    await registration.showNotification(title, options);
  } catch {
    await registration.showNotification(NEUTRAL.title, { body: NEUTRAL.body, icon: ICON });
  }
}

// What a tap on the notification or one of its buttons does.
export async function onNotificationClick(action, notification, sw = self) {
  const data = notification.data || {};
  notification.close();
  if (action === "done") return markDone(data.occurrences || [], sw);
  if (action === "snooze") return snooze(data.reminder);
  return openApp(data.url || "/", sw);
}

// Record "done" for the tasks not already done here, then send them now (or once online).
export async function markDone(occurrences, sw = self) {
  if (await isDisconnected()) return openApp("/", sw);  // a reminder shown before: takes no tick
  const done = doneSet(await all("events"));
  for (const occurrence of occurrences) if (!done.has(occurrence)) await record(occurrence, "done");
  const result = await syncAndTell(sw);
  if (willRetry(result)) await syncLater(sw.registration);
  return result;
}

export async function snooze(reminder) {
  if (!Number.isInteger(reminder)) return null;
  const token = await get("token");
  return request("POST", `/api/v1/me/reminders/${reminder}/snooze`, { token }).catch(() => null);
}
