// The kinds of restriction, as the Avoid screen groups them: server/domain/categories.py names
// the same ones (a test holds the two lists together); any other reads "Other".
export const CATEGORIES = {
  water: "Water", touch: "Touching", products: "Products", sweat: "Sweat", exercise: "Exercise",
  sun: "Sun", swimming: "Swimming", shaving: "Shaving", colouring: "Colouring",
};

export function category(id) {
  return id in CATEGORIES ? { id, label: CATEGORIES[id] } : { id: "other", label: "Other" };
}
