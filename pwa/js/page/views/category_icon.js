// One small line drawing per kind of restriction (shared/categories.js), in the text's colour:
// decoration beside its name, never the only way it is said.
import { svg } from "./shapes.js";

export const ICONS = {
  water: "M12 3C8 8 6 11 6 14a6 6 0 0 0 12 0c0-3-2-6-6-11z",
  touch: "M9 12V5a1.5 1.5 0 0 1 3 0v6m0-2V4a1.5 1.5 0 0 1 3 0v7m0-3a1.5 1.5 0 0 1 3 0v6a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-3l-2-4a1.5 1.5 0 0 1 3-1l1 2",
  products: "M10 2h4v3h-4zM9 5h6l1 3v12a2 2 0 0 1-2 2h-4a2 2 0 0 1-2-2V8z",
  sweat: "M7 3C5 6 4 7.5 4 9a3 3 0 0 0 6 0c0-1.5-1-3-3-6zM16 9c-2.5 3.5-4 5.5-4 7.5a4 4 0 0 0 8 0c0-2-1.5-4-4-7.5z",
  exercise: "M2 12h20M5 8v8M8 6v12M16 6v12M19 8v8",
  sun: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v3m0 14v3M2 12h3m14 0h3M5 5l2 2m10 10 2 2M5 19l2-2M17 7l2-2",
  swimming: "M2 15c2.5-2 4.5-2 7 0s4.5 2 7 0 4.5-2 6 0M2 20c2.5-2 4.5-2 7 0s4.5 2 7 0 4.5-2 6 0M16 5a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM5 11l5-5 4 4",
  shaving: "M4 5h16v5H4zM7 10v2m5-2v2m5-2v2M12 13v8",
  colouring: "M12 3a9 9 0 1 0 0 18c1.5 0 2-1 1.5-2s0-2 1.5-2H17a4 4 0 0 0 4-4c0-5.5-4-10-9-10zM8 10h.01M12 7h.01M16 10h.01",
  other: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v6m0 3v1",
};

export function categoryIcon(id) {
  return svg("svg", { class: "cat-icon", viewBox: "0 0 24 24", width: 20, height: 20, "aria-hidden": "true", focusable: "false" },
    svg("path", { d: ICONS[id] || ICONS.other, fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round" }));
}
