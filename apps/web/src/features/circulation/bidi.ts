/**
 * A value put into a sentence in plain text, isolated from the text around it (Unicode's
 * first-strong isolate, what <bdi> does in markup): a Latin barcode or title keeps its order in
 * an Arabic sentence, and the punctuation next to it stays on the right side.
 */
export const isolate = (value: string): string => `\u2068${value}\u2069`;
