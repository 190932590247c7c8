// The kinds of restriction, as the Avoid screen groups them: server/domain/categories.py names
// the same ones (a test holds the two lists together); any other reads "Other".
import { t } from "./i18n.js";

export const CATEGORIES = {
  water: "Water", touch: "Touching", products: "Products", sweat: "Sweat", exercise: "Exercise",
  sun: "Sun", swimming: "Swimming", shaving: "Shaving", colouring: "Colouring",
};

// Named in the app's language; CATEGORIES keeps the English names the server's list has.
export function category(id) {
  const known = id in CATEGORIES ? id : "other";
  return { id: known, label: t(`category.${known}`) };
}
