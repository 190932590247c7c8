// Boot, navigation and the actions behind the screens.
import { request, unauthorized } from "../shared/api.js";
import { checkins, dayAfterSession, keepCheckin, makeCheckin } from "../shared/checkins.js";
import { isDisconnected, markDisconnected } from "../shared/connection.js";
import { describe, leave } from "../shared/kept.js";
import { pending, record } from "../shared/outbox.js";
import { keepPhoto, photos, releaseHeld, shrink } from "../shared/photos.js";
import { all, get, set } from "../shared/store.js";
import { refusedModel } from "../shared/screens.js";
import { refreshPlan, status, syncLater, syncNow } from "../shared/sync.js";
import { h, said, show } from "./dom.js";
import { installOffer } from "./install.js";
import { applyLanguage } from "./language.js";
import { t } from "../shared/i18n.js";
import { downloadTicks, keptActions } from "./kept.js";
import { openLink } from "./link.js";
import { questions, startQuestions } from "./questions.js";
import { myData, startMyData } from "./my_data.js";
import { problem, success } from "./notice.js";
import { loadReminders, reminders, startReminders, stopReminders } from "./reminders.js";
import { VIEWS } from "./routes.js";
import { showSyncStatus } from "./sync_status.js";
import { callScreen, checkinForm } from "./views/checkin.js";
import { disconnected, welcome } from "./views/enroll.js";
import { firstRun } from "./views/questions.js";
import { keptCards } from "./views/kept.js";
import { redrawMyData } from "./views/my_data.js";
import { redrawReminders } from "./views/reminders.js";
import { onWorkerMessage, registerWorker, workerReady } from "./worker.js";

const view = document.getElementById("view");
// ready: boot has read what is stored; until then (a link's question on screen) nothing redraws.
const state = { ready: false, plan: null, bundle: null, profile: null, events: [], notice: null, languageNotice: null, disconnected: false, photoFailed: false };
// The check-in being answered (its occurrence id; the id made when its form opened, which a photo
// added there carries; the answers so far, so a redraw keeps them), and the red-flag check-in
// whose call screen shows.
const checkin = { open: null, id: null, answers: {}, call: null };

async function render(focus = false) {
  if (!state.ready) return;
  // Disconnected: every redraw (boot's, a minute's, the worker's, a return to the app) says so.
  state.disconnected = await isDisconnected();
  document.getElementById("tabs").hidden = state.disconnected || !state.plan;
  if (state.disconnected) return show(view, disconnected(await disconnectedModel()));
  if (!state.plan) return showWelcome();
  const kept = keptActions((await get("kept")) || [], () => render());
  const refused = { items: refusedModel(state.plan, state.bundle, (await get("refused")) || []), dismiss: () => set("refused", []).then(() => render()) };
  const asked = await questions(state.plan, state.bundle, focus);
  document.getElementById("tabs").hidden = asked.firstRun;  // one screen until Save or Not now
  const screen = asked.firstRun ? firstRun : VIEWS[location.pathname] || VIEWS["/"];
  state.events = await all("events");
  if (focus) Object.assign(state, { notice: null, languageNotice: null });  // moving to another screen ends a notice
  const answered = new Map((await checkins()).map((c) => [c.occurrence, c]));
  const ctx = { ...state, kept, refused, answered, now: Date.now(), tick, saveDay, changeLanguage, addPhoto, photos: await photos(), signOut, openCheckin, draftCheckin, answerCheckin, showCall, closeCall, install: installOffer(), reminders: reminders(focus), myData: myData(focus), questions: asked };
  const asking = state.bundle?.checkin;
  if (asking && checkin.call) show(view, callScreen(asking, checkin.call, state.profile, ctx));
  else if (asking && checkin.open) show(view, checkinForm(asking, checkin, ctx));
  else show(view, screen(ctx));
  for (const link of document.querySelectorAll("#tabs a")) {
    link.toggleAttribute("aria-current", link.pathname === location.pathname);
    if (link.pathname === location.pathname) link.setAttribute("aria-current", "page");
  }
  if (focus) view.focus({ preventScroll: true });
}

async function disconnectedModel() {
  const unsent = await pending();
  const client = state.profile || { name: "", clinic: null };
  return { clinic: client.clinic, unsent: unsent.length, download: () => downloadTicks(client, describe(unsent, state.plan, state.bundle)) };
}

// A redraw from the background: never while the client is typing into a field.
function refresh() {
  if (view.contains(document.activeElement) && document.activeElement.matches("input:not([type=checkbox]), select")) return;
  render();
}

async function tick(occurrence, done) {
  if (state.disconnected) return;  // as the screen drawn now says: no ticks
  await record(occurrence, done ? "done" : "undone");
  await render();
  syncNow();
  workerReady().then(syncLater);  // the worker sends it too, should this page close first
}

// Kept on the phone first (shrunk), then sent with the next sync: offline, it waits there.
// `checkInId`: added in a check-in's form, it waits for the answers (photos.js keepPhoto).
async function addPhoto(file, checkInId = null) {
  try {
    await keepPhoto(await shrink(file), new Date(), checkInId);
    state.photoFailed = false;
  } catch {
    state.photoFailed = true;
  }
  await render();
  await syncNow();
  render();
}

// Opened: a new id, so a photo can carry it before the answers are sent. Left with "Not now":
// a photo added there is kept on its own (photos.js releaseHeld says why).
async function openCheckin(occurrence) {
  const leaving = checkin.open && !occurrence;
  Object.assign(checkin, { open: occurrence, id: occurrence && crypto.randomUUID(), answers: {} });
  if (leaving) await releaseHeld(new Set((await checkins()).map((c) => c.id)));
  render(true);
  if (leaving) syncNow();
}

function draftCheckin(question, value) {
  checkin.answers[question] = value;
}

// Kept on the phone first; a red flag opens the call screen before anything is sent.
async function answerCheckin(occurrence, answers) {
  if (state.disconnected) return;
  const date = state.plan.occurrences.find((o) => o.id === occurrence)?.date;
  const day = dayAfterSession(state.plan.sessions, date);
  const record = makeCheckin(occurrence, answers, state.bundle.checkin.red_flags, day, new Date(), checkin.id);
  await keepCheckin(record);
  await releaseHeld(new Set((await checkins()).map((c) => c.id)));  // after the check-in is kept
  Object.assign(checkin, { open: null, id: null, answers: {} });
  checkin.call = record.red_flags.length ? record : null;
  await render(true);
  syncNow();
  workerReady().then(syncLater);
}

function showCall(record) {
  checkin.call = record;
  render(true);
}

function closeCall() {
  checkin.call = null;
  render(true);
}

async function saveDay(wake, bed) {
  try {
    const { data } = await request("PUT", "/api/v1/me/settings", { token: await get("token"), body: { wake, bed } });
    state.profile = data;
    await set("profile", data);
    state.plan = await refreshPlan(await get("token"));
    state.notice = success(t("settings.day_saved"));
  } catch (error) {
    state.notice = problem(error, t("doing.change_day"));
  }
  await render();
}

// The client's language, on the server first: it writes their plan, reminders and protocol
// texts in it. Offline it is not kept for later: the notice says to connect, and nothing changes.
async function changeLanguage(code) {
  try {
    const token = await get("token");
    const { data } = await request("PUT", "/api/v1/me/language", { token, body: { language: code } });
    state.profile = data;
    await set("profile", data);
    state.plan = await refreshPlan(token);  // the plan, then the protocol's texts, in that language
    state.bundle = await get("bundle");
    await applyLanguage(state.plan);
    state.languageNotice = success(t("settings.language_saved"));
  } catch (error) {
    state.languageNotice = problem(error, t("doing.change_language"));
  }
  await render();
}

// Unsent ticks are sent first; those that can't be yet, and the sign-out itself, wait on the
// phone until it is online (shared/kept.js), so the server ends this device's reminders then.
async function signOut() {
  if ((await pending()).length) await syncNow();
  const unsent = (await pending()).length;
  const warning = unsent ? t("sign_out.confirm_unsent", { count: unsent }) : t("sign_out.confirm");
  if (!confirm(warning)) return;
  await stopReminders();
  await leave();
  // Drawn here, not reloaded: offline, a page that never got its worker could not load again.
  Object.assign(state, { plan: null, bundle: null, profile: null, events: [] });
  document.getElementById("clinic").textContent = "Aftercue";
  await applyLanguage(null);  // the browser's again
  history.replaceState(null, "", "/");
  await render(true);
  syncAndRedraw();
  workerReady().then(syncLater);  // should this page close before the phone is online
}

showSyncStatus(document.getElementById("sync-state"), () => render());
// Any request the server refused this phone's token for, not only a sync.
unauthorized.addEventListener("token", async ({ detail }) => {
  await markDisconnected(detail);
  if (await isDisconnected()) render();
});
// Events pulled from the server (another phone's ticks), kept ticks sent, ticks refused: draw
// them now.
status.addEventListener("change", ({ detail }) => (detail.pulled > 0 || detail.keptSent || detail.refused) && refresh());
status.addEventListener("plan", async ({ detail }) => {
  state.plan = detail;
  state.bundle = await get("bundle");
  await applyLanguage(detail);  // the client chose another language (here or at the clinic)
  render();
});

function offerUpdate(activate) {
  const banner = document.getElementById("banner");
  show(banner, h("p", {}, said("update.ready")), h("button", { type: "button", onclick: activate }, said("update.now")));
  banner.hidden = false;
}

// No plan on this phone: ticks kept for an earlier one still show (and are sent, see sync.js).
async function showWelcome() {
  show(view, welcome(), keptCards(keptActions((await get("kept")) || [], showWelcome)));
}

// Sync, then draw what it changed: the network back, a return to the app.
const syncAndRedraw = () => syncNow().then(() => refresh());

async function boot() {
  registerWorker(offerUpdate).catch(() => {});
  await applyLanguage(await get("plan"));  // before anything is drawn, the enrollment's screens too
  if (location.pathname === "/enroll" && location.hash.length > 1) {
    if (!(await openLink(decodeURIComponent(location.hash.slice(1)), view))) return;
  }
  [state.plan, state.bundle, state.profile] = await Promise.all([get("plan"), get("bundle"), get("profile")]);
  await applyLanguage(state.plan);  // a link just opened brought the plan's language
  await loadReminders();  // Today's reminder card is drawn with the tasks, not after them
  // A form left open when the app closed: its photos go on their own (no form is open now).
  await releaseHeld(new Set((await checkins()).map((c) => c.id)));
  state.ready = true;
  addEventListener("online", syncAndRedraw);
  if (!state.plan) return syncAndRedraw();
  document.getElementById("clinic").textContent = state.profile.clinic;
  document.getElementById("tabs").hidden = false;
  document.getElementById("tabs").addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    event.preventDefault();
    history.pushState(null, "", link.pathname);
    render(true);
  });
  addEventListener("popstate", () => render(true));
  // Back in the app: sync first, so the redraw has what other phones ticked meanwhile.
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && syncAndRedraw());
  onWorkerMessage((message) => {
    if (message.type === "synced") refresh();
    if (message.type !== "open" || location.pathname === message.url) return;
    history.pushState(null, "", message.url);  // a tapped reminder: today's screen
    render(true);
  });
  setInterval(refresh, 60000);  // the day, and what is due, move on while the app is open
  await startMyData(() => redrawMyData(myData(), state.profile.timezone));
  startQuestions((focus) => render(focus));
  await render(true);
  await syncNow();
  render();
  if (!(await isDisconnected())) startReminders(() => redrawReminders(reminders()));
}

boot();
