/**
 * A Date as ISO 8601 text, computed once per Date object. `toISOString` costs about 0.8 µs on
 * Node 20, and an order's dates are turned into text many times (its snapshot at each status, the
 * query model's rows), while the orders changed in one turn share that turn's Date. Nothing in
 * this code base mutates a Date after creating it; one that did would keep its first text here.
 */
const texts = new WeakMap<Date, string>();

export function isoText(date: Date): string {
  let text = texts.get(date);
  if (text === undefined) {
    text = date.toISOString();
    texts.set(date, text);
  }
  return text;
}
