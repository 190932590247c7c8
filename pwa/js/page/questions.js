// The plan's questions on the page: whether the first-run screen shows, what Today's card and
// Settings' "About you" say, and saving an answer (kept on the phone, then synced).
import { keep, kept, questionsOf, unanswered } from "../shared/answers.js";
import { get, set } from "../shared/store.js";
import { syncLater, syncNow } from "../shared/sync.js";
import { problem, success } from "./notice.js";
import { t } from "../shared/i18n.js";
import { workerReady } from "./worker.js";

// open: Today's "Answer" brought the questions back; notice: how the last save went; chosen:
// choices made but not saved yet, so a redraw (a sync that ends meanwhile) keeps them.
const state = { open: false, notice: null, chosen: {} };
let redraw = () => {};

export function startQuestions(onChange) {
  redraw = onChange;
}

// What the screens draw, read afresh each time: a sync (the page's or the worker's) may have
// sent kept answers and brought a new plan since. `focus`: another screen, so the notice goes.
export async function questions(plan, bundle, focus = false) {
  if (focus && !state.open) Object.assign(state, { notice: null, chosen: {} });
  const waiting = await kept();
  const items = questionsOf(plan, bundle, waiting);
  const open = unanswered(items);
  return {
    items, unanswered: open, waiting: Object.keys(waiting).length > 0, notice: state.notice,
    // Shown once after enrollment, until "Save" or "Not now"; again from Today's card.
    firstRun: open.length > 0 && (state.open || !(await get("questionsAsked"))),
    chosen: state.chosen, choose, save, later, ask,
  };
}

async function save(answers, unchanged) {
  if (!Object.keys(answers).length) {
    state.notice = { text: unchanged, error: true };
    return redraw();
  }
  try {
    const closing = state.open || !(await get("questionsAsked"));  // the first-run screen's Save
    await keep(answers);
    state.chosen = {};
    if (closing) await settle();
  } catch (error) {
    state.notice = problem(error, t("doing.save_answers"));
    return redraw();
  }
  // The answer is on the phone; sending it is the sync's job from here, and Background Sync's
  // should this page close before the phone is online.
  const result = await syncNow();
  workerReady().then(syncLater);
  const unsent = Object.keys(await kept()).length > 0;
  state.notice = success(!unsent ? t("questions.thanks")
    : result.state === "offline" ? t("questions.kept_offline") : t("questions.kept_next_sync"));
  redraw();
}

const choose = (form, question, value) => { state.chosen[`${form}-${question}`] = value; };

// "Not now": Today's card and Settings still ask.
const later = () => settle();

function ask() {
  state.open = true;
  state.notice = null;
  redraw(true);
}

// The first-run screen closes for good; the screen behind it takes the focus.
async function settle() {
  state.open = false;
  state.chosen = {};
  await set("questionsAsked", true);
  redraw(true);
}
