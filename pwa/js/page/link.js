// An enrollment link opened on this phone: a first plan, the same client again (a new link,
// after a disconnection too), or another client's plan, which is asked about first.
import { ApiError, isOffline, isTemporary, request, retryDelay } from "../shared/api.js";
import { isDisconnected } from "../shared/connection.js";
import { connect } from "../shared/kept.js";
import { pending } from "../shared/outbox.js";
import { get } from "../shared/store.js";
import { refreshPlan, syncNow } from "../shared/sync.js";
import { show } from "./dom.js";
import { keepStorage } from "./install.js";
import { enrolling, enrollFailed, switchQuestion } from "./views/enroll.js";

// True when the app should go on to the plan, false when this screen stays.
export async function openLink(code, view) {
  const profile = await get("profile");
  const enrolled = Boolean(profile) && !(await isDisconnected());
  try {
    if (profile) {
      // Whose plan the link brings, without using it: declining leaves it for its owner.
      const { data } = await request("POST", "/api/v1/enroll/preview", { body: { code } });
      if (data.client.id !== profile.id && !(await askToSwitch(view, profile, data.client))) return done();
    }
    show(view, enrolling());
    const { data } = await request("POST", "/api/v1/enroll", { body: { code } });
    await connect(data.token, data.client);
    await refreshPlan(data.token);
    keepStorage();
    return done();  // only now: offline, a reload must retry the code
  } catch (error) {
    // The link was opened again on a phone that is set up with it: carry on as before.
    if (enrolled && error instanceof ApiError && !isTemporary(error)) return done();
    const kind = isOffline(error) ? "offline" : isTemporary(error) ? "later" : "invalid";
    show(view, enrollFailed(error instanceof ApiError ? error.message : "", kind));
    // The code is still in the address: try it again once the server says we may.
    if (kind === "later") setTimeout(() => location.reload(), retryDelay(60000, error));
    return false;
  }
}

function done() {
  history.replaceState(null, "", "/");
  return true;
}

// Ticks not yet sent go first, while the old plan's device still works; then the question.
async function askToSwitch(view, profile, incoming) {
  const off = await isDisconnected();
  const before = (await pending()).length;
  if (before && !off) await syncNow();
  const unsent = (await pending()).length;
  return new Promise((answer) => {
    show(view, switchQuestion({ profile, incoming, disconnected: off, sent: before - unsent, unsent, answer }));
  });
}
