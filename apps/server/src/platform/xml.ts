// Safe XML output for the protocol endpoints and export formats: every text and attribute value
// goes through these, so no input can close an element, open a comment or break the document.

// Characters XML 1.0 cannot carry at all (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F);
// they are dropped rather than escaped, since no escape makes them legal.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- XML 1.0's Char production is about control characters
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"'\r\n\t]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/** Text content: `&`, `<`, `>` escaped, characters XML cannot hold removed. */
export function xmlText(value: string | number): string {
  return String(value)
    .replace(NOT_XML, '')
    .replace(TEXT_SPECIAL, (c) => ENTITIES[c]!);
}

/** An attribute value (for double or single quotes): quotes and whitespace escaped too. */
export function xmlAttr(value: string | number): string {
  return String(value)
    .replace(NOT_XML, '')
    .replace(ATTRIBUTE_SPECIAL, (c) => ENTITIES[c]!);
}

/** `<name a="…">text</name>` with the text and attributes escaped; attributes with null/undefined values are left out. */
export function xmlElement(
  name: string,
  text: string | number | null | undefined,
  attrs: Record<string, string | number | null | undefined> = {},
): string {
  const attributes = Object.entries(attrs)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(v!)}"`)
    .join('');
  return text === null || text === undefined || text === ''
    ? `<${name}${attributes}/>`
    : `<${name}${attributes}>${xmlText(text)}</${name}>`;
}

/** The XML declaration every document we write starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
