// MARCXML as a stream, with saxes: records are found by element name and namespace wherever
// they are in the document (a <collection>, a lone <record>, an OAI-PMH or SRU response), so
// only the record being read is held. saxes knows no DTDs and resolves no external entities;
// a document that declares a DOCTYPE is refused outright.
import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { decodeMarc8References } from './charsets/index.js';
import { declareUnicode, detectFlavour } from './flavour.js';
import { normalizeLeader } from './leader.js';
import { MARCXML_NAMESPACE, UNIMARC_SLIM_NAMESPACE } from './marcxml-writer.js';
import { type ByteSource, byteChunks, type LinePosition, type ReadItem } from './read-result.js';
import { type DataField, isControlField, type MarcField, type MarcFlavour, type MarcRecord } from './record.js';

/** The namespaces a MARCXML <record> may be in, with the flavour each implies. */
export const MARCXML_NAMESPACES: ReadonlyMap<string, MarcFlavour | undefined> = new Map<
  string,
  MarcFlavour | undefined
>([
  [MARCXML_NAMESPACE, undefined],
  ['info:lc/xmlns/marcxchange-v1', undefined],
  ['info:lc/xmlns/marcxchange-v2', undefined],
  // UNIMARC slim (Biblioteca Nazionale Centrale di Firenze's schema) and RUSMARC.
  [UNIMARC_SLIM_NAMESPACE, 'unimarc'],
  ['http://www.rba.ru/rusmarc/soft', 'unimarc'],
  // No namespace at all: Alma and Evergreen exports, hand-written files.
  ['', undefined],
]);

export interface MarcxmlReadOptions {
  /** Read every record as this flavour; by default it comes from the namespace, the record's `format` attribute, or its fields. */
  flavour?: MarcFlavour;
  /**
   * Attach each record's source (`raw`): the text of its <record> element as it stands in the
   * document, from its start tag to its end tag, in UTF-8 (the namespace declarations of the
   * elements around it are not repeated).
   */
  keepRaw?: boolean;
}

const BLANK_LEADER = '00000    a2200000   4500';
const UTF8 = new TextEncoder();
// eslint-disable-next-line no-control-regex -- MARC and XML rules are about control characters
const NOT_ASCII = /[^\x00-\x7f]/;

function nfc(text: string): string {
  return NOT_ASCII.test(text) ? text.normalize('NFC') : text;
}

interface OpenRecord {
  line: number;
  /** Where its start tag begins, in characters from the document's start (the parser's position). */
  start: number;
  namespace: string;
  format: string | undefined;
  leader: string | undefined;
  fields: MarcField[];
  warnings: string[];
  depth: number;
  field: DataField | undefined;
  damage: { line: number; column: number; reason: string } | undefined;
}

type Collecting =
  { kind: 'leader' } | { kind: 'control'; tag: string } | { kind: 'subfield'; code: string } | undefined;

function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  return tag.attributes[name];
}

// Namespaces are resolved here rather than by saxes (which is markedly slower with them on):
// each element gets the prefix bindings of its parent plus those it declares.
type Scope = Record<string, string | undefined>;
const ROOT_SCOPE: Scope = { '': '', xml: 'http://www.w3.org/XML/1998/namespace' };

function scopeOf(tag: SaxesTagPlain, parent: Scope): Scope {
  let scope = parent;
  for (const name in tag.attributes) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === parent) scope = Object.create(parent) as Scope;
      scope[name === 'xmlns' ? '' : name.slice(6)] = tag.attributes[name];
    }
  }
  return scope;
}

const localNames = new Map<string, string>();
function localName(name: string): string {
  let local = localNames.get(name);
  if (local === undefined) {
    const colon = name.indexOf(':');
    local = colon < 0 ? name : name.slice(colon + 1);
    if (localNames.size < 1000) localNames.set(name, local);
  }
  return local;
}

function namespaceOf(name: string, scope: Scope): string | undefined {
  const colon = name.indexOf(':');
  return scope[colon < 0 ? '' : name.slice(0, colon)];
}

/** Text decoding for the document: UTF-8 unless a BOM or the XML declaration says otherwise. */
function sniffEncoding(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const declaration = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    new TextDecoder('latin1').decode(head.subarray(0, 200)),
  );
  const declared = declaration?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    try {
      new TextDecoder(declared);
      return declared;
    } catch {
      // An encoding the platform does not know: read as UTF-8, the default for XML.
    }
  }
  return 'utf-8';
}

/**
 * Reads MARCXML records (MARC 21 slim, MARCXchange, UNIMARC and RUSMARC slim, or no namespace)
 * found anywhere in an XML document. Yields each record with its line, or a non-well-formed
 * record's line, column and reason; reading goes on with the next record where the parser can.
 */
export async function* readMarcxml(
  source: ByteSource | string,
  options: MarcxmlReadOptions = {},
): AsyncGenerator<ReadItem<LinePosition>> {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const scopes: Scope[] = [];
  let scope = ROOT_SCOPE;
  const out: ReadItem<LinePosition>[] = [];
  let index = 0;
  let open: OpenRecord | undefined;
  let collecting: Collecting;
  let text = '';
  let errorOutsideRecords = false;
  let documentErrorReported = false;
  let afterDamage = false;
  let refused = false;

  const fail = (line: number, column: number, reason: string) =>
    out.push({ error: { index: index++, line, column, reason } });
  const reportBroken = (record: OpenRecord, damage: NonNullable<OpenRecord['damage']>) =>
    fail(damage.line, damage.column, `record starting at line ${record.line}: ${damage.reason}`);

  parser.on('doctype', () => {
    if (refused) return;
    refused = true;
    fail(
      parser.line,
      parser.column + 1,
      'the document declares a DOCTYPE; DTDs and entity declarations are not accepted, so it was not read',
    );
  });

  parser.on('error', (error) => {
    if (refused) return;
    const reason = error.message.replace(/^\d+:\d+: /, '');
    // Several top-level elements (records written one after another without a <collection>)
    // make a non-well-formed document but intact records: reported once, records kept.
    const documentLevel = /only one root|outside of root node|must contain a root/.test(reason);
    if (open && !documentLevel) {
      open.damage ??= { line: parser.line, column: parser.column + 1, reason: `not well-formed XML: ${reason}` };
    } else if (afterDamage) {
      // After a broken record the parser's idea of the element tree is off, and what it says
      // about the rest of the document follows from the damage already reported.
    } else if (documentLevel) {
      if (!documentErrorReported) fail(parser.line, parser.column + 1, `not well-formed XML: ${reason}`);
      documentErrorReported = true;
    } else if (!errorOutsideRecords) {
      errorOutsideRecords = true;
      fail(parser.line, parser.column + 1, `not well-formed XML: ${reason}`);
    }
  });

  // With keepRaw, the document's text from `kept` on: the open record's start, or the end of what was read.
  let keptText = '';
  let kept = 0;
  const rawOf = (record: OpenRecord) =>
    options.keepRaw ? UTF8.encode(keptText.slice(record.start - kept, parser.position - kept)) : undefined;

  let startLine = 1;
  let startAt = 0;
  parser.on('opentagstart', (tag) => {
    startLine = parser.line;
    // The parser has read '<', the name and the character after it (a space, '>' or '/').
    startAt = parser.position - tag.name.length - 2;
  });

  parser.on('opentag', (tag) => {
    if (refused) return;
    const local = localName(tag.name);
    // Inside a record only local names matter, so scopes are kept for the elements around
    // records (and records themselves) alone.
    if (!open) {
      scopes.push(scope);
      scope = scopeOf(tag, scope);
    }
    const uri = local === 'record' ? namespaceOf(tag.name, open ? scopeOf(tag, scope) : scope) : undefined;
    const isRecord = uri !== undefined && MARCXML_NAMESPACES.has(uri);
    if (open && isRecord) {
      // A record inside a record: the outer one is broken (typically a close tag lost to
      // damage), and the inner one may be whole.
      const broken = open;
      open = undefined;
      reportBroken(broken, broken.damage ?? { line: startLine, column: 1, reason: 'a new <record> starts inside it' });
      afterDamage = true;
    }
    if (!open) {
      if (isRecord) {
        open = {
          line: startLine,
          start: startAt,
          namespace: uri as string,
          format: attribute(tag, 'format'),
          leader: undefined,
          fields: [],
          warnings: [],
          depth: 0,
          field: undefined,
          damage: undefined,
        };
      }
      return;
    }
    open.depth++;
    collecting = undefined;
    text = '';
    if (open.depth === 1) {
      switch (local) {
        case 'leader':
          collecting = { kind: 'leader' };
          return;
        case 'controlfield': {
          const fieldTag = checkedTag(open, attribute(tag, 'tag'), 'controlfield');
          if (fieldTag !== undefined) collecting = { kind: 'control', tag: fieldTag };
          return;
        }
        case 'datafield': {
          const fieldTag = checkedTag(open, attribute(tag, 'tag'), 'datafield');
          if (fieldTag === undefined) return;
          open.field = {
            tag: fieldTag,
            ind1: checkedIndicator(open, fieldTag, 1, attribute(tag, 'ind1')),
            ind2: checkedIndicator(open, fieldTag, 2, attribute(tag, 'ind2')),
            subfields: [],
          };
          open.fields.push(open.field);
          return;
        }
        default:
          open.warnings.push(`element <${tag.name}> at line ${startLine} is not part of MARCXML and was ignored`);
          return;
      }
    }
    if (open.depth === 2 && open.field && local === 'subfield') {
      const code = attribute(tag, 'code');
      if (code === undefined || code.length === 0) {
        open.warnings.push(`field ${open.field.tag}: a subfield without a code at line ${startLine} was dropped`);
      } else {
        const first = String.fromCodePoint(code.codePointAt(0) as number);
        if (first !== code)
          open.warnings.push(
            `field ${open.field.tag}: subfield code ${JSON.stringify(code)} is longer than one character; read as ${JSON.stringify(first)}`,
          );
        collecting = { kind: 'subfield', code: first };
      }
    }
  });

  const addText = (chunk: string) => {
    if (collecting) text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  parser.on('closetag', (tag) => {
    if (!open || open.depth === 0) scope = scopes.pop() ?? ROOT_SCOPE;
    if (refused || !open) return;
    if (open.depth > 0) {
      finishElement(open, collecting, text);
      collecting = undefined;
      text = '';
      if (open.depth === 1) open.field = undefined;
      open.depth--;
      return;
    }
    if (localName(tag.name) !== 'record') return;
    const done = open;
    open = undefined;
    if (done.damage !== undefined) {
      reportBroken(done, done.damage);
      afterDamage = true;
      return;
    }
    if (done.leader === undefined && done.fields.length === 0 && done.namespace === '') return;
    errorOutsideRecords = false;
    out.push(finishRecord(done, index++, options, rawOf(done)));
  });

  const chunks = typeof source === 'string' ? [source] : byteChunks(source);
  let decoder: TextDecoder | undefined;
  let head: Uint8Array | undefined;
  const feed = (chunk: string) => {
    if (refused) return;
    if (options.keepRaw) keptText += chunk;
    parser.write(chunk);
    if (options.keepRaw) {
      // Only the text from the open record's start on is still needed; with none open, from the
      // last '<' on (a start tag may be cut in two by the chunk's end).
      const from = open ? open.start : kept + Math.max(0, keptText.lastIndexOf('<'));
      keptText = keptText.slice(from - kept);
      kept = from;
    }
  };
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') feed(chunk);
    else if (decoder) feed(decoder.decode(chunk, { stream: true }));
    else {
      head = head ? concat(head, chunk) : chunk;
      if (head.length >= 200) {
        decoder = new TextDecoder(sniffEncoding(head));
        feed(decoder.decode(head, { stream: true }));
        head = undefined;
      }
    }
    yield* out;
    out.length = 0;
    if (refused) return;
  }
  if (head) {
    decoder = new TextDecoder(sniffEncoding(head));
    feed(decoder.decode(head, { stream: true }));
  }
  if (decoder) feed(decoder.decode());
  if (!refused) parser.close();
  if (open) {
    reportBroken(
      open,
      open.damage ?? { line: parser.line, column: parser.column + 1, reason: 'the input ends inside the record' },
    );
  }
  yield* out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function checkedTag(record: OpenRecord, tag: string | undefined, element: string): string | undefined {
  if (tag === undefined || tag.length === 0) {
    record.warnings.push(`a <${element}> without a tag was dropped`);
    return undefined;
  }
  if (tag.length === 3) return tag;
  // Leading zeros lost on the way (tag 42 for 042) are the usual cause.
  if (/^\d{1,2}$/.test(tag)) {
    const padded = tag.padStart(3, '0');
    record.warnings.push(`tag ${JSON.stringify(tag)} is not three characters; read as ${padded}`);
    return padded;
  }
  record.warnings.push(`a <${element}> with tag ${JSON.stringify(tag)} (not three characters) was dropped`);
  return undefined;
}

function checkedIndicator(record: OpenRecord, tag: string, which: 1 | 2, value: string | undefined): string {
  if (value !== undefined && value.length === 1) return value;
  record.warnings.push(
    `field ${tag}: indicator ${which} is ${value === undefined ? 'missing' : JSON.stringify(value)}; read as a blank`,
  );
  return ' ';
}

function finishElement(record: OpenRecord, collecting: Collecting, text: string): void {
  if (!collecting) return;
  switch (collecting.kind) {
    case 'leader':
      record.leader = text;
      return;
    case 'control':
      record.fields.push({ tag: collecting.tag, value: nfc(text) });
      return;
    case 'subfield':
      record.field?.subfields.push({ code: collecting.code, value: nfc(text) });
      return;
  }
}

/** Replaces MARC-8 numeric character references in every value of the record, in place. */
function decodeReferences(record: MarcRecord): void {
  for (const field of record.fields) {
    if (isControlField(field)) field.value = decodeMarc8References(field.value);
    else for (const subfield of field.subfields) subfield.value = decodeMarc8References(subfield.value);
  }
}

function finishRecord(
  open: OpenRecord,
  index: number,
  options: MarcxmlReadOptions,
  raw: Uint8Array | undefined,
): ReadItem<LinePosition> {
  const warnings = open.warnings;
  let leader = open.leader;
  if (leader === undefined) {
    warnings.push('record has no leader; a blank one was supplied');
    leader = BLANK_LEADER;
  }
  // leader/09 blank: the text was MARC-8 (converted to Unicode characters, as XML must be),
  // and MARC-8's numeric character references ('&#x200F;' as text) may still stand in it.
  const wasMarc8 = leader[9] === ' ';
  leader = normalizeLeader(leader, warnings);
  const record: MarcRecord = { leader, fields: open.fields };
  const format = open.format?.toUpperCase();
  const flavour =
    options.flavour ??
    MARCXML_NAMESPACES.get(open.namespace) ??
    (format === 'UNIMARC' ? 'unimarc' : format === 'MARC21' ? 'marc21' : undefined) ??
    detectFlavour(record);
  if (wasMarc8 && flavour === 'marc21') decodeReferences(record);
  declareUnicode(record, flavour);
  return { record, position: { index, line: open.line }, warnings, flavour, ...(raw ? { raw } : {}) };
}
