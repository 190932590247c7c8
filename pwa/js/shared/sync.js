// Sending the outbox and pulling other devices' ticks; also refreshes the plan and bundle.
// Used by the page (after a tick, at start, online, visible) and the service worker
// (Background Sync, a push's "Done"). Safe to run from both at once: the server is idempotent.
import { sendAnswers } from "./answers.js";
import { ApiError, isOffline, request } from "./api.js";
import { sendCheckins } from "./checkins.js";
import { isDisconnected, markDisconnected } from "./connection.js";
import { sendKept } from "./kept.js";
import { pending, settle } from "./outbox.js";
import { sendPhotos } from "./photos.js";
import { get, set } from "./store.js";

const BATCH = 500;
export const status = new EventTarget();
let running = null;
let rerun = null;

function announce(state, detail = {}) {
  status.dispatchEvent(new CustomEvent("change", { detail: { state, ...detail } }));
}

// One run at a time. A call during a run (a new tick, the network back) gets one more run
// after it: the running one may have read the outbox, or failed offline, before that call.
export function syncNow() {
  if (running) {
    rerun ??= running.then(() => { rerun = null; return syncNow(); });
    return rerun;
  }
  running = run().finally(() => { running = null; });
  return running;
}

async function run() {
  // An earlier plan's ticks and sign-out first, each with its own token, never this one.
  const keptSent = await sendKept().catch(() => false);
  const token = await get("token");
  if (!token) return { state: "signed-out" };
  // Disconnected: the server refuses this token for good; its ticks wait for a new link.
  if (await isDisconnected()) {
    announce("signed-out", { left: (await pending()).length });
    return { state: "signed-out" };
  }
  announce("sending");
  try {
    await sendAnswers(token);  // first: the plan this sync brings back follows them
    await sendCheckins(token);  // a red flag reaches the clinic before the ticks
    let reply;
    let progress;
    let pulled = 0;
    let refused = 0;
    do {
      const events = (await pending()).slice(0, BATCH);
      reply = await send(token, events);
      await settle(reply, events);
      pulled += reply.events.length;
      refused += reply.rejected.length;
      progress = reply.accepted.length + reply.rejected.length > 0;
    } while (reply.more || (progress && (await pending()).length > 0));
    await sendPhotos(token);  // after the ticks: a photo is big, a tick is what reminders need
    if (reply.plan_version !== ((await get("plan")) || {}).version) await refreshPlan(token);
    const left = (await pending()).length;
    await set("lastSync", Date.now());
    // pulled: events the server handed back (another phone's among them), so screens redraw.
    announce(left ? "pending" : "synced", { left, pulled, refused, keptSent });
    return { state: "synced", left, pulled };
  } catch (error) {
    const state = failedState(error);
    if (state === "signed-out") await markDisconnected(token);
    announce(state, { left: (await pending()).length, message: error.message, error });
    return { state, error };
  }
}

// Background Sync, where the browser has it: the worker sends the outbox once the phone is back
// online, even if the app is closed by then (sw.js listens for OUTBOX_TAG).
export const OUTBOX_TAG = "outbox";
export const syncLater = (registration) => registration.sync?.register(OUTBOX_TAG).catch(() => {});

// A run that left ticks unsent for a reason that passes: try again later.
export const willRetry = (result) => result.state === "offline" || result.state === "error";

// Only a 401 stops syncing. Anything else, 429 too many requests included, is "offline" or
// "error": the ticks wait on the phone and the app tries again later, no sooner than the
// server's Retry-After (api.js retryDelay).
export function failedState(error) {
  if (error instanceof ApiError && error.status === 401) return "signed-out";
  return isOffline(error) ? "offline" : "error";
}

export async function refreshPlan(token) {
  const plan = await get("plan");
  const fresh = await request("GET", "/api/v1/me/plan", { token, etag: plan && `"${plan.version}"` });
  if (fresh.status === 304) return plan;
  const bundle = await get("bundle");
  // The texts in the plan's language (one the protocol lacks is served in its own: `asked`).
  const language = fresh.data.language;
  const served = bundle && (bundle.asked || bundle.language);
  if (!bundle || bundle.bundle_version !== fresh.data.bundle_version || (language && served !== language)) {
    const query = new URLSearchParams({ version: fresh.data.bundle_version });
    if (language) query.set("language", language);
    await set("bundle", (await request("GET", `/api/v1/protocols/${fresh.data.protocol_id}?${query}`)).data);
  }
  await set("plan", fresh.data);
  status.dispatchEvent(new CustomEvent("plan", { detail: fresh.data }));
  return fresh.data;
}

async function send(token, events) {
  const body = { events, cursor: (await get("cursor")) || null, timezone: zone() };
  try {
    return (await request("POST", "/api/v1/me/sync", { token, body })).data;
  } catch (error) {
    // A zone name this server doesn't know must not block the ticks: send them without it.
    if (!(error instanceof ApiError && error.fields.timezone)) throw error;
    return (await request("POST", "/api/v1/me/sync", { token, body: { ...body, timezone: undefined } })).data;
  }
}

function zone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch { return undefined; }
}
