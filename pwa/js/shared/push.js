// The one owner of the Push API and the notification permission: this phone's subscription,
// and keeping the server told of it.
// Browsers change and expire subscriptions without a word, so the app sends it again each time
// it opens. Used by the page and by the service worker (pushsubscriptionchange).
import { request } from "./api.js";
import { get, set } from "./store.js";

// base64url (padded or not) -> the bytes pushManager.subscribe() takes as applicationServerKey.
export function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function sameBytes(a, b) {
  if (!a || !b) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

// on | off | blocked | install (iPhone, outside the installed app) | unsupported
export function pushState({ hasPush, ios, standalone, permission, subscribed }) {
  if (!hasPush) return ios && !standalone ? "install" : "unsupported";
  if (permission === "denied") return "blocked";
  return subscribed && permission === "granted" ? "on" : "off";
}

// The notification permission, read by the page and the worker alike. Asked for only from a tap
// (Safari asks only inside the user's gesture), so only askNotificationPermission() asks.
export const notificationPermission = () => ("Notification" in globalThis ? Notification.permission : "default");
export const askNotificationPermission = () => Notification.requestPermission();

// Can this browser take pushes at all (a worker to take them is page/worker.js's to say)?
export const canPush = () => "PushManager" in globalThis && "Notification" in globalThis;

export async function isSubscribed(registration) {
  return Boolean(registration && (await registration.pushManager.getSubscription()));
}

// One change at a time (a start's renewal, a tap, the worker), so the server never gets two
// at once and the browser never makes two subscriptions.
let queue = Promise.resolve();
function oneAtATime(change) {
  return (...args) => {
    const turn = queue.then(() => change(...args));
    queue = turn.catch(() => {});
    return turn;
  };
}

// Subscribe with the server's key (again, if that key changed) and send the subscription.
async function subscribeNow(registration, token) {
  const key = keyBytes((await request("GET", "/api/v1/push/key")).data.key);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options?.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await set("pushOff", false);
  return tell(subscription, token);
}

export const subscribe = oneAtATime(subscribeNow);

// At each start: send the subscription again, or make a new one if the browser dropped it,
// unless the client turned reminders off on this phone. The reminder settings, or null.
export const renew = oneAtATime(async (registration, token) => {
  token ??= await get("token");
  if (!token || (await get("pushOff")) || notificationPermission() !== "granted") return null;
  return subscribeNow(registration, token);
});

// Stop reminders to this phone: the server forgets the subscription, then the browser drops it.
export const unsubscribe = oneAtATime(async (registration, token) => {
  await set("pushOff", true);
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return;
  const body = { endpoint: subscription.endpoint };
  await request("DELETE", "/api/v1/me/push-subscriptions", { token, body }).catch(() => {});
  await subscription.unsubscribe();
});

async function tell(subscription, token) {
  const { data } = await request("POST", "/api/v1/me/push-subscriptions", { token, body: subscription.toJSON() });
  await set("reminders", data);
  return data;
}
