// Hand-built ISO 2709, for damage no writer would produce. Field data is given as strings whose
// characters are bytes (Latin-1), or as UTF-8 text when `utf8` is set.

export function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export interface IsoParts {
  leader?: string;
  fields: Array<[tag: string, data: string]>;
  utf8?: boolean;
}

/** A well-formed record from its fields (data without the field terminator). */
export function isoRecord({ leader = '00000nam a2200000   4500', fields, utf8: asUtf8 = false }: IsoParts): Uint8Array {
  const encode = asUtf8 ? utf8 : bytes;
  const parts = fields.map(([, data]) => encode(data + '\x1e'));
  let offset = 0;
  let directory = '';
  fields.forEach(([tag], i) => {
    const length = (parts[i] as Uint8Array).length;
    directory += tag + String(length).padStart(4, '0') + String(offset).padStart(5, '0');
    offset += length;
  });
  const base = 24 + directory.length + 1;
  const total = base + offset + 1;
  const head = String(total).padStart(5, '0') + leader.slice(5, 12) + String(base).padStart(5, '0') + leader.slice(17);
  return concat(bytes(head + directory + '\x1e'), ...parts, new Uint8Array([0x1d]));
}

export function concat(...chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Replaces bytes at `at` with the Latin-1 bytes of `text`. */
export function patch(record: Uint8Array, at: number, text: string): Uint8Array {
  const copy = record.slice();
  copy.set(bytes(text), at);
  return copy;
}
