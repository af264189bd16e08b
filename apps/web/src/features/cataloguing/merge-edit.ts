import type { MarcFieldInput, MarcRecordInput } from '@athenaeum/contracts';

/**
 * A field both sides changed differently. The merge keeps mine; theirs is told so the cataloguer
 * can decide. `tag` is null for the leader; `occurrence` counts fields of that tag from 1.
 */
export interface MergeClash {
  tag: string | null;
  occurrence: number;
  /** Their version of the field (the leader's text for the leader), or null when they removed it. */
  theirs: MarcFieldInput | string | null;
  /** Where mine is in the merged record's fields, or null when I removed it (or for the leader). */
  at: number | null;
}

export interface MergedEdit {
  record: MarcRecordInput;
  clashes: MergeClash[];
}

const sameField = (a: MarcFieldInput | undefined, b: MarcFieldInput | undefined): boolean => {
  if (!a || !b) return a === b;
  if (a.tag !== b.tag) return false;
  if ('value' in a || 'value' in b) return 'value' in a && 'value' in b && a.value === b.value;
  return (
    a.ind1 === b.ind1 &&
    a.ind2 === b.ind2 &&
    a.subfields.length === b.subfields.length &&
    a.subfields.every((s, i) => s.code === b.subfields[i]!.code && s.value === b.subfields[i]!.value)
  );
};

/** A field's place in a record: its tag and which of the fields with that tag it is (from 1). */
const placeKey = (tag: string, occurrence: number) => `${tag}\u0000${occurrence}`;

interface Placed {
  key: string;
  tag: string;
  occurrence: number;
  field: MarcFieldInput;
}

function placed(record: MarcRecordInput): Placed[] {
  const seen = new Map<string, number>();
  return record.fields.map((field) => {
    const occurrence = (seen.get(field.tag) ?? 0) + 1;
    seen.set(field.tag, occurrence);
    return { key: placeKey(field.tag, occurrence), tag: field.tag, occurrence, field };
  });
}

/**
 * A three-way merge of an edit with a version someone else saved meanwhile, field by field.
 * `base` is the stored version the edit started from, `mine` the edited record, `theirs` the
 * version saved since. Fields are matched by tag and by occurrence among the fields of that tag
 * (the leader is one more field). A field changed on one side only takes that side's value
 * (added and removed fields too); a field both sides changed alike takes that value; a field both
 * changed differently keeps mine and is reported as a clash with theirs. The merged fields keep
 * mine's order; fields only they added follow the field that precedes them in their version.
 */
export function mergeEdit(base: MarcRecordInput, mine: MarcRecordInput, theirs: MarcRecordInput): MergedEdit {
  const clashes: Array<Omit<MergeClash, 'at'> & { key: string | null }> = [];

  let leader = mine.leader;
  if (mine.leader !== theirs.leader) {
    if (mine.leader === base.leader) leader = theirs.leader;
    else if (theirs.leader !== base.leader)
      clashes.push({ key: null, tag: null, occurrence: 1, theirs: theirs.leader });
  }

  const baseFields = new Map(placed(base).map((p) => [p.key, p.field]));
  const theirPlaced = placed(theirs);
  const theirFields = new Map(theirPlaced.map((p) => [p.key, p.field]));

  // Mine's fields, in mine's order, each as the merge decides.
  const minePlaced = placed(mine);
  const merged: Array<{ key: string; field: MarcFieldInput }> = [];
  for (const { key, tag, occurrence, field } of minePlaced) {
    const b = baseFields.get(key);
    const t = theirFields.get(key);
    if (sameField(field, t) || sameField(t, b)) merged.push({ key, field });
    else if (sameField(field, b)) {
      // Only they changed it: theirs, or gone if they removed it.
      if (t) merged.push({ key, field: t });
    } else {
      merged.push({ key, field });
      clashes.push({ key, tag, occurrence, theirs: t ?? null });
    }
  }

  // Their fields that mine has not: added by them (taken), or removed by me (gone, unless they changed it).
  const mineKeys = new Set(minePlaced.map((p) => p.key));
  let anchor: string | null = null;
  for (const { key, tag, occurrence, field } of theirPlaced) {
    if (!mineKeys.has(key)) {
      const b = baseFields.get(key);
      if (!b) {
        const after = anchor === null ? -1 : merged.findIndex((m) => m.key === anchor);
        merged.splice(after + 1, 0, { key, field });
      } else if (!sameField(b, field)) clashes.push({ key: null, tag, occurrence, theirs: field });
    }
    if (merged.some((m) => m.key === key)) anchor = key;
  }

  const fields = merged.map((m) => m.field);
  const at = (key: string | null) => (key === null ? null : merged.findIndex((m) => m.key === key));
  const ordered = clashes
    .map(({ key, ...clash }) => ({ ...clash, at: at(key) }))
    .sort((a, b) => (a.tag === null ? -1 : b.tag === null ? 1 : 0) || (a.at ?? Infinity) - (b.at ?? Infinity));
  return { record: { leader, fields }, clashes: ordered };
}

/** A field's content as MARC displays it: a control field's value; indicators (# for blank) and $-subfields. */
export function fieldText(field: MarcFieldInput): string {
  if ('value' in field) return field.value;
  const ind = (i: string) => (i === ' ' || i === '' ? '#' : i);
  return [ind(field.ind1) + ind(field.ind2), ...field.subfields.map((s) => `$${s.code} ${s.value}`)].join(' ');
}
