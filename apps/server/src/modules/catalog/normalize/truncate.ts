// Keys and sort values go into B-tree indexes, whose entries are limited to about 2.7 KB: a title
// of thousands of characters (which MARC allows) is cut for them, never for display.

/** The longest sort title, and the longest title part of a matching key. */
export const MAX_TITLE_KEY = 500;
/** The longest author part of a matching key. */
export const MAX_AUTHOR_KEY = 200;

/** Text cut to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncated(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return text.slice(0, end);
}
