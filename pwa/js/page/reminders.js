// Reminders on this phone, for the page: what Today's card and Settings show, and their actions.
// Permission is only ever asked for from a tap on "Turn on reminders".
import { request } from "../shared/api.js";
import {
  askNotificationPermission, canPush, isSubscribed, notificationPermission, pushState,
  renew, subscribe, unsubscribe,
} from "../shared/push.js";
import { reminderPrompt } from "../shared/reminder_prompt.js";
import { get, set } from "../shared/store.js";
import { status } from "../shared/sync.js";
import { installed, ios } from "./install.js";
import { problem, success } from "./notice.js";
import { t } from "../shared/i18n.js";
import { currentRegistration, hasWorker, workerReady } from "./worker.js";

// push: on | off | blocked | install | unsupported; settings: the server's, as last seen;
// plan, bundle: for Today's card's offer, in the words of this client's plan (and written at
// each draw, in the language of the moment).
const state = { push: "unsupported", settings: null, dismissed: false, notice: null, plan: null, bundle: null };
let redraw = () => {};


// What this browser can do and whether this phone gets reminders.
async function currentState() {
  const hasPush = hasWorker() && canPush();
  const subscribed = hasPush && (await isSubscribed(await currentRegistration()));
  const permission = notificationPermission();
  return pushState({ hasPush, ios: ios(), standalone: installed(), permission, subscribed });
}

// Before the first draw, so Today's card is drawn with the tasks and moves nothing: what is
// stored, and this browser's own state (a permission and a subscription, read at once).
export async function loadReminders() {
  const [settings, dismissed, plan, bundle] = await Promise.all(
    ["reminders", "reminderCardDismissed", "plan", "bundle"].map((key) => get(key)));
  Object.assign(state, { settings, dismissed, plan, bundle });
  state.push = await currentState().catch(() => "unsupported");
}

// A new plan can bring other tasks: the offer follows it at the next draw.
status.addEventListener("plan", async ({ detail }) => {
  Object.assign(state, { plan: detail, bundle: await get("bundle") });
});

// At each start, after loadReminders(): re-send this phone's subscription (push.js), and draw
// again only what changed.
export async function startReminders(onChange) {
  redraw = onChange;
  if (state.push === "unsupported" || state.push === "install") return;
  const token = await get("token");
  const drawn = JSON.stringify(state);
  try {
    state.settings = (await renew(await workerReady(), token))
      || (await request("GET", "/api/v1/me/reminders", { token })).data;
    await set("reminders", state.settings);
  } catch { /* offline, or the browser refused: what is stored stays on screen */ }
  state.push = await currentState().catch(() => state.push);
  if (JSON.stringify(state) !== drawn) redraw();  // an unchanged card stays put under a finger
}

// Called straight from the tap: Safari only asks for permission inside the user's gesture.
async function turnOn() {
  const answer = await askNotificationPermission();
  try {
    if (answer !== "granted") {
      state.notice = null;
      return;
    }
    const token = await get("token");
    state.settings = await subscribe(await workerReady(), token);
    if (!state.settings.enabled) {
      state.settings = (await request("PUT", "/api/v1/me/reminders", { token, body: body({ enabled: true }) })).data;
    }
    await set("reminders", state.settings);
    state.notice = success(t("reminders.now_on"));
  } catch (error) {
    state.notice = problem(error, t("doing.turn_on_reminders"), t("reminders.browser_failed"));
  } finally {
    state.push = await currentState().catch(() => state.push);
    redraw();
  }
}

async function turnOff() {
  await unsubscribe(await workerReady(), await get("token")).catch(() => {});
  state.settings = state.settings && { ...state.settings, subscribed: false };
  state.notice = success(t("reminders.now_off"));
  state.push = await currentState().catch(() => state.push);
  redraw();
}

async function save(changes) {
  try {
    const { data } = await request("PUT", "/api/v1/me/reminders", { token: await get("token"), body: body(changes) });
    state.settings = data;
    await set("reminders", data);
    state.notice = success(t("reminders.saved"));
  } catch (error) {
    state.notice = problem(error, t("doing.change_reminders"), t("reminders.browser_failed"));
  }
  redraw();
}

// A form the view itself found incomplete: said where the client is.
function refuse(text) {
  state.notice = { text, error: true };
  redraw();
}

async function dismiss() {
  state.dismissed = true;
  await set("reminderCardDismissed", true);
  redraw();
}

function body(changes) {
  const { enabled = true, discreet = false, quiet_start = null, quiet_end = null } = state.settings || {};
  return { enabled, discreet, quiet_start, quiet_end, ...changes };
}

// Sign-out: stop pushes to this phone before its token goes.
export async function stopReminders() {
  if (state.push === "unsupported" || state.push === "install") return;
  // Not workerReady(): a worker that never became active (offline since the first visit)
  // would hold signing out up for good, and has no subscription to drop anyway.
  const registration = await currentRegistration();
  if (registration) await unsubscribe(registration, await get("token")).catch(() => {});
}

// What the views get; a screen change ends a notice.
export function reminders(moved) {
  if (moved) state.notice = null;
  const prompt = reminderPrompt(state.plan, state.bundle, Date.now());
  return { ...state, prompt, turnOn, turnOff, save, dismiss, refuse };
}
