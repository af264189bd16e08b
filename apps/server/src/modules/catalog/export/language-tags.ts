// MARC language codes (ISO 639-2, bibliographic forms) as BCP 47 language tags, which schema.org's
// inLanguage and HTML's lang expect. BCP 47 takes the ISO 639-1 code where a language has one and
// the ISO 639-2 terminology code otherwise, so the 20 languages whose bibliographic code differs
// ("ger", "fre", "wel" …) all have a two-letter tag and every other code is its own tag.

/**
 * Every language ISO 639-1 names, as "639-1 639-2/T [639-2/B]" entries separated by "|" or a line break,
 * in the order of the two-letter codes (written from the ISO 639-2 registration authority's list).
 */
const ISO_639_1 = `
  aa aar | ab abk | ae ave | af afr | ak aka | am amh
  an arg | ar ara | as asm | av ava | ay aym | az aze
  ba bak | be bel | bg bul | bh bih | bi bis | bm bam
  bn ben | bo bod tib | br bre | bs bos | ca cat | ce che
  ch cha | co cos | cr cre | cs ces cze | cu chu | cv chv
  cy cym wel | da dan | de deu ger | dv div | dz dzo | ee ewe
  el ell gre | en eng | eo epo | es spa | et est | eu eus baq
  fa fas per | ff ful | fi fin | fj fij | fo fao | fr fra fre
  fy fry | ga gle | gd gla | gl glg | gn grn | gu guj
  gv glv | ha hau | he heb | hi hin | ho hmo | hr hrv
  ht hat | hu hun | hy hye arm | hz her | ia ina | id ind
  ie ile | ig ibo | ii iii | ik ipk | io ido | is isl ice
  it ita | iu iku | ja jpn | jv jav | ka kat geo | kg kon
  ki kik | kj kua | kk kaz | kl kal | km khm | kn kan
  ko kor | kr kau | ks kas | ku kur | kv kom | kw cor
  ky kir | la lat | lb ltz | lg lug | li lim | ln lin
  lo lao | lt lit | lu lub | lv lav | mg mlg | mh mah
  mi mri mao | mk mkd mac | ml mal | mn mon | mr mar | ms msa may
  mt mlt | my mya bur | na nau | nb nob | nd nde | ne nep
  ng ndo | nl nld dut | nn nno | no nor | nr nbl | nv nav
  ny nya | oc oci | oj oji | om orm | or ori | os oss
  pa pan | pi pli | pl pol | ps pus | pt por | qu que
  rm roh | rn run | ro ron rum | ru rus | rw kin | sa san
  sc srd | sd snd | se sme | sg sag | si sin | sk slk slo
  sl slv | sm smo | sn sna | so som | sq sqi alb | sr srp
  ss ssw | st sot | su sun | sv swe | sw swa | ta tam
  te tel | tg tgk | th tha | ti tir | tk tuk | tl tgl
  tn tsn | to ton | tr tur | ts tso | tt tat | tw twi
  ty tah | ug uig | uk ukr | ur urd | uz uzb | ve ven
  vi vie | vo vol | wa wln | wo wol | xh xho | yi yid
  yo yor | za zha | zh zho chi | zu zul
`;

/**
 * Codes the MARC Code List for Languages and ISO 639-2 have withdrawn and older records still
 * carry, with the two-letter tag of the language they now name. Passed through, several would
 * name another language: ISO 639-3 gives "tag", "far" and "int" to languages of their own.
 */
const WITHDRAWN = `
  km cam | eo esp | fo far | fy fri | gd gae | gl gag | gn gua | ia int | ga iri | oc lan
  mg mla | gv max | ro mol | sr scc | hr scr | sn sho | si snh | st sso | ss swz | tl tag
  tg taj | tt tar | tn tsw
`;

function twoLetterCodes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of `${ISO_639_1}${WITHDRAWN}`.split(/[|\n]/)) {
    const [two, ...threes] = entry.trim().split(/\s+/);
    for (const three of threes) out.set(three, two!);
  }
  return out;
}

const TWO_LETTER = twoLetterCodes();

// "und" (undetermined), "zxx" (no linguistic content) and "mul" (multiple) are valid tags but say
// nothing of the content's language, so inLanguage leaves them out.
const NO_LANGUAGE = new Set(['und', 'zxx', 'mul']);

/** A MARC language code (ISO 639-2/B or /T) as a BCP 47 language tag: "ger" → "de", "haw" → "haw". */
export function bcp47(code: string): string {
  const lower = code.trim().toLowerCase();
  return TWO_LETTER.get(lower) ?? lower;
}

/** The BCP 47 tags of a record's languages for inLanguage: mapped, without "und", "zxx" and "mul", each once. */
export function languageTags(codes: readonly string[]): string[] {
  const tags = codes
    .map((c) => c.trim().toLowerCase())
    .filter((c) => /^[a-z]{3}$/.test(c) && !NO_LANGUAGE.has(c))
    .map(bcp47);
  return [...new Set(tags)];
}

/** The three-letter codes that have a two-letter tag (for checking the table is complete). */
export function mappedLanguageCodes(): string[] {
  return [...TWO_LETTER.keys()];
}
