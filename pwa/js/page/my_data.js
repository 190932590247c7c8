// The client's own data: download all of it as a file, or ask the clinic to delete it.
import { request } from "../shared/api.js";
import { downloadJson } from "./files.js";
import { localDate } from "../shared/format.js";
import { get, set } from "../shared/store.js";
import { problem, success } from "./notice.js";
import { t } from "../shared/i18n.js";

// deletion: { requested_at, delete_by } as the server last said; confirming: the second step.
const state = { deletion: null, confirming: false, busy: false, notice: null };
let redraw = () => {};

export async function startMyData(onChange) {
  redraw = onChange;
  const profile = await get("profile");
  state.deletion = (await get("deletion"))
    || (profile?.deletion_requested_at ? { requested_at: profile.deletion_requested_at, delete_by: null } : null);
  redraw();
}

export function exportFileName(now, tz) {
  return `aftercue-my-data-${localDate(now, tz)}.json`;
}

async function download() {
  state.busy = true;
  state.notice = null;
  redraw();
  try {
    const { data } = await request("GET", "/api/v1/me/export", { token: await get("token") });
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    downloadJson(exportFileName(Date.now(), zone), data);
    state.notice = success(t("my_data.downloaded"));
  } catch (error) {
    state.notice = problem(error, t("doing.download_data"));
  }
  state.busy = false;
  redraw();
}

function askToDelete() {
  state.confirming = true;
  state.notice = null;
  redraw();
}

function cancel() {
  state.confirming = false;
  redraw();
}

async function confirmDelete() {
  state.busy = true;
  redraw();
  try {
    const { data } = await request("POST", "/api/v1/me/deletion-request", { token: await get("token") });
    state.deletion = data;
    await set("deletion", data);
    state.confirming = false;
    state.notice = success(t("my_data.deletion_asked"));
  } catch (error) {
    state.notice = problem(error, t("doing.ask_clinic"));
  }
  state.busy = false;
  redraw();
}

// What the views get; a screen change ends a notice and an unanswered question.
export function myData(moved) {
  if (moved) Object.assign(state, { notice: null, confirming: false });
  return { ...state, download, askToDelete, cancel, confirmDelete };
}
