import { isControlField, type ControlField, type DataField, type MarcRecord } from '@athenaeum/marc';

/** Small read helpers over a MARC record, shared by the MARC 21 and UNIMARC mappings. */
export class MarcView {
  private readonly byTag = new Map<string, Array<ControlField | DataField>>();

  constructor(readonly record: MarcRecord) {
    for (const field of record.fields) {
      const list = this.byTag.get(field.tag);
      if (list) list.push(field);
      else this.byTag.set(field.tag, [field]);
    }
  }

  get leader(): string {
    return this.record.leader;
  }

  control(tag: string): string | null {
    const field = this.byTag.get(tag)?.[0];
    return field && isControlField(field) ? field.value : null;
  }

  fields(...tags: string[]): DataField[] {
    return tags.flatMap((tag) => (this.byTag.get(tag) ?? []).filter((f): f is DataField => !isControlField(f)));
  }

  first(tag: string): DataField | null {
    return this.fields(tag)[0] ?? null;
  }

  /** The 880 field linked to this field through $6 (e.g. 245 "880-02" ↔ 880 "245-02/(3/r"). */
  alternateOf(field: DataField): DataField | null {
    const link = sub(field, '6');
    if (!link) return null;
    const occurrence = link.split('-')[1]?.slice(0, 2);
    if (!occurrence || occurrence === '00') return null;
    return (
      this.fields('880').find((alt) => {
        const altLink = sub(alt, '6') ?? '';
        return altLink.startsWith(`${field.tag}-${occurrence}`);
      }) ?? null
    );
  }

  /** 880 fields standing for a tag (linked or not), for alternate-script search. */
  alternatesFor(tag: string): DataField[] {
    return this.fields('880').filter((alt) => (sub(alt, '6') ?? '').startsWith(`${tag}-`));
  }
}

export function sub(field: DataField | null | undefined, code: string): string | null {
  return field?.subfields.find((s) => s.code === code)?.value ?? null;
}

export function subs(field: DataField | null | undefined, codes: string): string[] {
  return field ? field.subfields.filter((s) => codes.includes(s.code)).map((s) => s.value) : [];
}

/** ISBD punctuation that ends a MARC subfield (" /", " :", ";", ",", ".") is not part of the data. */
export function clean(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = value
    .replace(/\s+/g, ' ')
    .replace(/[\s/:;,=]+$/u, '')
    .replace(/(?<!(?:^|[\s.,])\p{Lu})(?<!\.\.)\.$/u, '') // keep the period of an initial ("Ursula K.") or an ellipsis
    .replace(/^\[(.*)\]$/u, '$1')
    .trim();
  return text === '' ? null : text;
}

export function joinClean(values: string[], separator = ' '): string | null {
  return clean(
    values
      .map((v) => clean(v))
      .filter(Boolean)
      .join(separator),
  );
}

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
