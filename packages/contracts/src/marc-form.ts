import type { MarcDataFieldInput, MarcFieldInput, MarcFlavourInput, MarcRecordInput } from './cataloguing.js';

/**
 * The main fields of a record as the cataloguing form shows them. The form is a view of the
 * MARC: formFromMarc reads it, applyForm writes it back into the record (changing only the
 * subfields the form shows), so the form and the MARC editor always agree.
 */
export interface CataloguingForm {
  title: string;
  subtitle: string;
  responsibility: string;
  authors: string[];
  edition: string;
  place: string;
  publisher: string;
  date: string;
  isbns: string[];
  subjects: string[];
  language: string;
  summary: string;
}

interface Spec {
  title: { tag: string; title: string; subtitle: string; responsibility: string; ind: [string, string] };
  authors: { main: string; added: string; code: string; ind: [string, string] };
  edition: { tag: string; code: string };
  publication: { tags: string[]; place: string; publisher: string; date: string; ind: [string, string] };
  isbn: { tag: string; code: string };
  subject: { tag: string; code: string; ind: [string, string] };
  summary: { tag: string; code: string };
}

const SPECS: Record<MarcFlavourInput, Spec> = {
  marc21: {
    title: { tag: '245', title: 'a', subtitle: 'b', responsibility: 'c', ind: ['0', '0'] },
    authors: { main: '100', added: '700', code: 'a', ind: ['1', ' '] },
    edition: { tag: '250', code: 'a' },
    // RDA records use 264 (second indicator 1: publication), older ones 260.
    publication: { tags: ['264', '260'], place: 'a', publisher: 'b', date: 'c', ind: [' ', '1'] },
    isbn: { tag: '020', code: 'a' },
    subject: { tag: '650', code: 'a', ind: [' ', '0'] },
    summary: { tag: '520', code: 'a' },
  },
  unimarc: {
    title: { tag: '200', title: 'a', subtitle: 'e', responsibility: 'f', ind: ['1', ' '] },
    authors: { main: '700', added: '701', code: 'a', ind: [' ', '1'] },
    edition: { tag: '205', code: 'a' },
    publication: { tags: ['210'], place: 'a', publisher: 'c', date: 'd', ind: [' ', ' '] },
    isbn: { tag: '010', code: 'a' },
    subject: { tag: '606', code: 'a', ind: [' ', ' '] },
    summary: { tag: '330', code: 'a' },
  },
};

const isData = (f: MarcFieldInput): f is MarcDataFieldInput => Array.isArray((f as MarcDataFieldInput).subfields);
const sub = (f: MarcDataFieldInput | undefined, code: string) => f?.subfields.find((s) => s.code === code)?.value ?? '';
const dataFields = (r: MarcRecordInput, tag: string) =>
  r.fields.filter((f): f is MarcDataFieldInput => f.tag === tag && isData(f));

/** A new, empty record of a flavour: leader, the fixed fields and an empty title. */
export function emptyRecord(flavour: MarcFlavourInput): MarcRecordInput {
  return flavour === 'marc21'
    ? {
        leader: '00000nam a2200000 i 4500',
        fields: [
          { tag: '008', value: `${' '.repeat(35)}und d` },
          { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: '' }] },
        ],
      }
    : {
        leader: '00000nam  2200000   450 ',
        fields: [{ tag: '200', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: '' }] }],
      };
}

/** The form's view of a record. */
export function formFromMarc(record: MarcRecordInput, flavour: MarcFlavourInput = 'marc21'): CataloguingForm {
  const spec = SPECS[flavour];
  const title = dataFields(record, spec.title.tag)[0];
  const publication = spec.publication.tags.map((t) => dataFields(record, t)[0]).find(Boolean);
  const f008 = record.fields.find((f) => f.tag === '008' && !isData(f)) as { value: string } | undefined;
  const language =
    flavour === 'marc21' ? (f008?.value.slice(35, 38) ?? '').trim() : sub(dataFields(record, '101')[0], 'a');
  return {
    title: sub(title, spec.title.title),
    subtitle: sub(title, spec.title.subtitle),
    responsibility: sub(title, spec.title.responsibility),
    authors: [...dataFields(record, spec.authors.main), ...dataFields(record, spec.authors.added)]
      .map((f) => sub(f, spec.authors.code))
      .filter((v) => v !== ''),
    edition: sub(dataFields(record, spec.edition.tag)[0], spec.edition.code),
    place: sub(publication, spec.publication.place),
    publisher: sub(publication, spec.publication.publisher),
    date: sub(publication, spec.publication.date),
    isbns: dataFields(record, spec.isbn.tag)
      .map((f) => sub(f, spec.isbn.code))
      .filter((v) => v !== ''),
    subjects: dataFields(record, spec.subject.tag)
      .map((f) => sub(f, spec.subject.code))
      .filter((v) => v !== ''),
    language: language === 'und' ? '' : language,
    summary: sub(dataFields(record, spec.summary.tag)[0], spec.summary.code),
  };
}

/** Sets (or, for an empty value, removes) one subfield, keeping the others in place. */
function setSub(field: MarcDataFieldInput, code: string, value: string, after: string[] = []): MarcDataFieldInput {
  const subfields = [...field.subfields];
  const at = subfields.findIndex((s) => s.code === code);
  if (value === '') {
    if (at >= 0) subfields.splice(at, 1);
  } else if (at >= 0) subfields[at] = { code, value };
  else {
    // A new subfield goes after those that come before it (e.g. $b after $a).
    let insert = 0;
    subfields.forEach((s, i) => {
      if (after.includes(s.code)) insert = i + 1;
    });
    subfields.splice(insert, 0, { code, value });
  }
  return { ...field, subfields };
}

/** Inserts a field in tag order (after the last field whose tag is not greater). */
function insertField(fields: MarcFieldInput[], field: MarcFieldInput): void {
  let at = fields.length;
  for (let i = fields.length - 1; i >= 0; i--) {
    if (fields[i]!.tag <= field.tag) {
      at = i + 1;
      break;
    }
    at = i;
  }
  fields.splice(at, 0, field);
}

/**
 * One field of a tag (the first), with subfields set from the form; created when the form has a
 * value and the record has none, removed when every subfield the form shows is emptied and no
 * other subfield is left, unless `keep` names a subfield: then the field stays with that subfield
 * empty, keeping its indicators (a title selected whole and retyped keeps 245's non-filing count).
 */
function writeSingle(
  fields: MarcFieldInput[],
  tags: string[],
  newTag: string,
  ind: [string, string],
  values: Array<[string, string]>,
  keep?: string,
): void {
  const index = tags.map((t) => fields.findIndex((f) => f.tag === t && isData(f))).find((i) => i >= 0) ?? -1;
  const order = values.map(([code]) => code);
  if (index < 0) {
    if (values.every(([, v]) => v === '')) return;
    const field: MarcDataFieldInput = {
      tag: newTag,
      ind1: ind[0],
      ind2: ind[1],
      subfields: values.filter(([, v]) => v !== '').map(([code, value]) => ({ code, value })),
    };
    insertField(fields, field);
    return;
  }
  let field = fields[index] as MarcDataFieldInput;
  values.forEach(([code, value], i) => {
    field = setSub(field, code, value, order.slice(0, i));
  });
  if (field.subfields.length === 0 && keep) fields[index] = { ...field, subfields: [{ code: keep, value: '' }] };
  else if (field.subfields.length === 0) fields.splice(index, 1);
  else fields[index] = field;
}

/**
 * Fields of a repeatable tag from a list: the i-th value goes into the i-th field (its other
 * subfields and indicators kept), fields beyond the list are removed, new values get new fields.
 */
function writeList(fields: MarcFieldInput[], tag: string, code: string, ind: [string, string], values: string[]): void {
  const wanted = values.filter((v) => v !== '');
  // Fields of the tag without the subfield are not in the form's list, and are left alone.
  const existing = fields
    .map((f, i) => [f, i] as const)
    .filter(([f]) => f.tag === tag && isData(f) && sub(f, code) !== '');
  existing.forEach(([f, i], n) => {
    if (n < wanted.length) fields[i] = setSub(f as MarcDataFieldInput, code, wanted[n]!);
  });
  for (const [, i] of existing.slice(wanted.length).reverse()) fields.splice(i, 1);
  for (const value of wanted.slice(existing.length)) {
    insertField(fields, { tag, ind1: ind[0], ind2: ind[1], subfields: [{ code, value }] });
  }
}

/** The record with the form's values written into their fields; everything else is kept as it was. */
export function applyForm(
  record: MarcRecordInput,
  form: CataloguingForm,
  flavour: MarcFlavourInput = 'marc21',
): MarcRecordInput {
  const spec = SPECS[flavour];
  const fields = record.fields.map((f) => (isData(f) ? { ...f, subfields: [...f.subfields] } : { ...f }));
  writeSingle(
    fields,
    [spec.title.tag],
    spec.title.tag,
    spec.title.ind,
    [
      [spec.title.title, form.title],
      [spec.title.subtitle, form.subtitle],
      [spec.title.responsibility, form.responsibility],
    ],
    spec.title.title,
  );
  // The first author is the main entry, unless the record has added entries only.
  const authors = form.authors.filter((a) => a.trim() !== '');
  const hasMain =
    dataFields(record, spec.authors.main).some((f) => sub(f, spec.authors.code) !== '') ||
    !dataFields(record, spec.authors.added).some((f) => sub(f, spec.authors.code) !== '');
  writeList(fields, spec.authors.main, spec.authors.code, spec.authors.ind, hasMain ? authors.slice(0, 1) : []);
  writeList(fields, spec.authors.added, spec.authors.code, spec.authors.ind, hasMain ? authors.slice(1) : authors);
  writeSingle(fields, [spec.edition.tag], spec.edition.tag, [' ', ' '], [[spec.edition.code, form.edition]]);
  writeSingle(fields, spec.publication.tags, spec.publication.tags[0]!, spec.publication.ind, [
    [spec.publication.place, form.place],
    [spec.publication.publisher, form.publisher],
    [spec.publication.date, form.date],
  ]);
  writeList(fields, spec.isbn.tag, spec.isbn.code, [' ', ' '], form.isbns);
  writeList(fields, spec.subject.tag, spec.subject.code, spec.subject.ind, form.subjects);
  writeSingle(fields, [spec.summary.tag], spec.summary.tag, [' ', ' '], [[spec.summary.code, form.summary]]);
  // An untouched language stays as it was (blank, "und" or a code).
  const languageChanged = form.language.trim() !== formFromMarc(record, flavour).language;
  if (languageChanged && flavour === 'marc21') {
    const language = (form.language.trim() || 'und').padEnd(3, ' ').slice(0, 3);
    const index = fields.findIndex((f) => f.tag === '008' && !isData(f));
    if (index >= 0) {
      const value = (fields[index] as { value: string }).value.padEnd(40, ' ');
      fields[index] = { tag: '008', value: value.slice(0, 35) + language + value.slice(38) };
    } else if (form.language.trim()) insertField(fields, { tag: '008', value: `${' '.repeat(35)}${language} d` });
  } else if (languageChanged) {
    writeSingle(fields, ['101'], '101', ['0', ' '], [['a', form.language.trim()]]);
  }
  return { leader: record.leader, fields };
}
