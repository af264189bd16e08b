import type { DataField, MarcRecord } from '@athenaeum/marc';

// Leader/06 from the DCMI type, the reverse of the crosswalk's type mapping.
const LEADER_TYPE: Record<string, string> = {
  text: 'a',
  image: 'k',
  stillimage: 'k',
  movingimage: 'g',
  sound: 'j',
  software: 'm',
  physicalobject: 'r',
  collection: 'p',
  dataset: 'm',
};

const data = (tag: string, ind1: string, ind2: string, subfields: Array<[string, string]>): DataField => ({
  tag,
  ind1,
  ind2,
  subfields: subfields.filter(([, v]) => v !== '').map(([code, value]) => ({ code, value })),
});

/**
 * A MARC 21 record from simple Dublin Core, after the LoC Dublin Core to MARC crosswalk
 * (unqualified): title 245 (further titles 246), creator 100/700, contributor 700 $e,
 * subject 650 _4, description 520, publisher and date 260, type the leader, format 300,
 * identifier 020/022 for URN ISBN/ISSN and 856 for URLs, language 008 and 041, relation 787,
 * rights 540, coverage 500. The OAI identifier is the control number (001).
 */
export function dublinCoreToMarc(dc: Record<string, string[]>, identifier: string): MarcRecord {
  const all = (name: string) => (dc[name] ?? []).map((v) => v.trim()).filter(Boolean);
  const type = LEADER_TYPE[(all('type')[0] ?? 'text').toLowerCase().replace(/\s+/g, '')] ?? 'a';
  const dates = all('date');
  const year = dates.map((d) => /\d{4}/.exec(d)?.[0]).find(Boolean) ?? '    ';
  const languages = all('language')
    .map((l) => l.toLowerCase())
    .filter((l) => /^[a-z]{3}$/.test(l));
  const f008 = `${'000000'}s${year}    xx            000 0 ${(languages[0] ?? '   ').padEnd(3)} d`;
  const [title = '[Untitled]', ...titles] = all('title');
  const [creator, ...creators] = all('creator');
  const fields: MarcRecord['fields'] = [
    { tag: '001', value: identifier },
    { tag: '008', value: f008.slice(0, 40).padEnd(40) },
  ];
  for (const id of all('identifier')) {
    const isbn = /^urn:isbn:(.+)$/i.exec(id);
    if (isbn) fields.push(data('020', ' ', ' ', [['a', isbn[1]!]]));
    const issn = /^urn:issn:(.+)$/i.exec(id);
    if (issn) fields.push(data('022', ' ', ' ', [['a', issn[1]!]]));
  }
  if (languages.length > 1)
    fields.push(
      data(
        '041',
        '0',
        ' ',
        languages.map((l) => ['a', l] as [string, string]),
      ),
    );
  if (creator) fields.push(data('100', '1', ' ', [['a', creator]]));
  fields.push(data('245', creator ? '1' : '0', '0', [['a', title]]));
  for (const t of titles) fields.push(data('246', '3', ' ', [['a', t]]));
  if (all('publisher').length || dates.length)
    fields.push(
      data('260', ' ', ' ', [
        ['b', all('publisher')[0] ?? ''],
        ['c', dates[0] ?? ''],
      ]),
    );
  for (const f of all('format')) fields.push(data('300', ' ', ' ', [['a', f]]));
  for (const c of all('coverage')) fields.push(data('500', ' ', ' ', [['a', c]]));
  for (const d of all('description')) fields.push(data('520', ' ', ' ', [['a', d]]));
  for (const r of all('rights')) fields.push(data('540', ' ', ' ', [['a', r]]));
  for (const s of all('subject')) fields.push(data('650', ' ', '4', [['a', s]]));
  for (const c of creators) fields.push(data('700', '1', ' ', [['a', c]]));
  for (const c of all('contributor'))
    fields.push(
      data('700', '1', ' ', [
        ['a', c],
        ['e', 'contributor'],
      ]),
    );
  for (const r of all('relation')) fields.push(data('787', '0', ' ', [['t', r]]));
  for (const id of all('identifier')) if (/^https?:\/\//i.test(id)) fields.push(data('856', '4', '0', [['u', id]]));
  return { leader: `00000n${type}m a2200000 u 4500`, fields };
}

/**
 * A harvested MARC record made to answer to its OAI identifier: the source's own control number
 * (001, with 003) moves to an 035 system number, as copy cataloguing does, and 001 becomes the
 * OAI identifier, so a later version or deletion of the record finds it again.
 */
export function withOaiIdentity(record: MarcRecord, identifier: string): MarcRecord {
  const control = (tag: string) => {
    const f = record.fields.find((x) => x.tag === tag);
    return f && 'value' in f ? f.value.trim() : '';
  };
  const f001 = control('001');
  const f003 = control('003');
  const rest = record.fields.filter((f) => f.tag !== '001' && f.tag !== '003');
  const system = f001 ? [data('035', ' ', ' ', [['a', f003 ? `(${f003})${f001}` : f001]])] : [];
  const at = rest.findIndex((f) => f.tag > '035');
  const fields = [
    { tag: '001', value: identifier },
    ...(at < 0 ? [...rest, ...system] : [...rest.slice(0, at), ...system, ...rest.slice(at)]),
  ];
  return { leader: record.leader, fields };
}
