// CQL (an AST from @athenaeum/cql) → SQL over the library records, for SRU. Word searches use the
// same analysis and tsquery building as the catalogue's own search (analyze.ts, search.sql.ts);
// masked words the tsvector cannot answer fall back to a regular expression over the analyzed
// text. Whatever this server does not support is reported as the SRU diagnostic for it.
import {
  CqlDiagnostic,
  prefixMap,
  resolveIndex,
  type CqlNode,
  type CqlQuery,
  type CqlSearchClause,
  type CqlTermPart,
  type PrefixMap,
} from '@athenaeum/cql';
import type { NormalizedRecord } from '@athenaeum/contracts';
import type { MarcRecord } from '@athenaeum/marc';
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../../platform/context/context.js';
import { catalogDb } from '../catalog.repository.js';
import { normalizeIsbn, normalizeIssn, normalizeLccn, normalizeOclc } from '../normalize/identifiers.js';
import { analyzeForIndex } from './analyze.js';
import type { ParsedQuery } from './query.js';
import { popularQuery, sampleQuery, SAMPLE_LEVELS, STEM_CONFIGS, tsqueryOf } from './search.sql.js';

/** The context sets this server knows, by their usual prefix and URIs. */
export const CQL_CONTEXT_SETS = {
  cql: ['info:srw/cql-context-set/1/cql-v1.2', 'info:srw/cql-context-set/1/cql-v1.1'],
  dc: ['info:srw/cql-context-set/1/dc-v1.1', 'http://purl.org/dc/elements/1.1/'],
  bath: ['http://zing.z3950.org/cql/bath/2.0/'],
  rec: ['info:srw/cql-context-set/2/rec-1.1', 'info:srw/cql-context-set/2/rec-1.0'],
} as const;
type ContextSet = keyof typeof CQL_CONTEXT_SETS;

/** The indexes searchable, as `set.name` (what explain lists). */
export const CQL_INDEXES = [
  'cql.serverChoice',
  'cql.anywhere',
  'cql.allRecords',
  'dc.title',
  'dc.creator',
  'dc.subject',
  'dc.identifier',
  'dc.date',
  'bath.isbn',
  'bath.issn',
  'rec.id',
] as const;
/** The indexes `sortBy` takes. */
export const CQL_SORT_INDEXES = ['dc.title', 'dc.creator', 'dc.date', 'rec.id'] as const;

type Index = 'any' | 'allRecords' | 'title' | 'creator' | 'subject' | 'identifier' | 'date' | 'isbn' | 'issn' | 'id';
const INDEXES: Record<ContextSet, Record<string, Index>> = {
  cql: { serverchoice: 'any', anywhere: 'any', allrecords: 'allRecords' },
  dc: { title: 'title', creator: 'creator', subject: 'subject', identifier: 'identifier', date: 'date' },
  bath: { isbn: 'isbn', issn: 'issn' },
  rec: { id: 'id' },
};

function contextSetOf(prefix: string | null, uri: string | undefined): ContextSet | null {
  if (uri !== undefined) {
    const found = (Object.keys(CQL_CONTEXT_SETS) as ContextSet[]).find((set) =>
      (CQL_CONTEXT_SETS[set] as readonly string[]).includes(uri),
    );
    return found ?? null;
  }
  // No prefix assignment in the query: the usual prefixes, and dc for an unprefixed index.
  const name = (prefix ?? 'dc').toLowerCase();
  return name in CQL_CONTEXT_SETS ? (name as ContextSet) : null;
}

/** Which of our indexes a CQL index names; diagnostic 15 (context set) or 16 (index) otherwise. */
export function resolveCqlIndex(index: string, prefixes: PrefixMap = new Map()): Index {
  const resolved = resolveIndex(index, prefixes);
  const set = contextSetOf(resolved.prefix, resolved.contextSet);
  if (!set)
    throw new CqlDiagnostic(
      15,
      `the context set of "${index}" is not supported (${Object.keys(CQL_CONTEXT_SETS).join(', ')} are)`,
    );
  const found = INDEXES[set][resolved.name.toLowerCase()];
  if (!found) throw new CqlDiagnostic(16, `"${index}" is not an index of this server (${CQL_INDEXES.join(', ')})`);
  return found;
}

// ── terms ──────────────────────────────────────────────────────────────────

type Part = Exclude<CqlTermPart, { kind: 'anchor' }>;

/** Splits a term's pattern into words at whitespace in its literal text. */
function wordsOf(pattern: Part[]): Part[][] {
  const words: Part[][] = [[]];
  for (const part of pattern) {
    if (part.kind !== 'literal') {
      words.at(-1)!.push(part);
      continue;
    }
    const pieces = part.value.split(/\s+/);
    pieces.forEach((piece, i) => {
      if (i > 0) words.push([]);
      if (piece) words.at(-1)!.push({ kind: 'literal', value: piece });
    });
  }
  return words.filter((w) => w.length > 0);
}

const masked = (word: Part[]) => word.some((p) => p.kind !== 'literal');
const literalText = (word: Part[]) =>
  word.map((p) => (p.kind === 'literal' ? p.value : p.kind === 'anyChars' ? '*' : '?')).join('');

const WEIGHTS = { any: 'any', title: 'title', creator: 'author', subject: 'subject' } as const;
type TextIndex = keyof typeof WEIGHTS;
const DOC = {
  any: sql`concat_ws(' ', r.search_doc->>'a', r.search_doc->>'b', r.search_doc->>'c', r.search_doc->>'d')`,
  title: sql`(r.search_doc->>'a')`,
  creator: sql`(r.search_doc->>'b')`,
  subject: sql`(r.search_doc->>'c')`,
};
const LETTER = { any: '', title: 'A', creator: 'B', subject: 'C' } as const;

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;
const WORD_CHAR = '[^[:space:][:punct:]]';

/** A masked word as a regular expression over analyzed text (word characters are what is neither space nor punctuation). */
function wordRegex(word: Part[]): string {
  return word
    .map((p) =>
      p.kind === 'literal'
        ? analyzeForIndex(p.value).replace(REGEX_SPECIAL, '\\$&')
        : p.kind === 'anyChars'
          ? `${WORD_CHAR}*`
          : WORD_CHAR,
    )
    .join('');
}

/** The search to run for one clause on a text index, and the tsquery it contributes to ranking. */
interface Translated {
  where: RawBuilder<unknown>;
  /** Word queries, for ranking. */
  rank: RawBuilder<unknown> | null;
  /** A tsquery the record's work must match for the record to match (the works' vectors are indexed). */
  need: RawBuilder<unknown> | null;
  /**
   * Subject lexemes (a text[]) of which a record must have one to match (catalog_search.record_subject_terms,
   * migration 0020): a work's matching records are then read from that key instead of checking
   * every edition of the work. Absent when the clause does not require one.
   */
  terms?: RawBuilder<unknown> | null;
}

const PLAIN_WORD = /^[\p{L}\p{N}]+$/u;

/**
 * Every lexeme that analyzed, unmasked words give at weight C in a record's vector: their
 * 'simple' form and their stems in every language (a record has only its languages' stems, so
 * this is a superset of what any one record can have, which is what a necessary condition needs).
 * Null when a word is not one plain word (the parser would split it).
 */
function subjectTerms(words: string[]): RawBuilder<unknown> | null {
  if (words.length === 0 || !words.every((w) => PLAIN_WORD.test(w))) return null;
  return sql`array(select unnest(tsvector_to_array(to_tsvector('simple', unaccent(w)))) from unnest(${words}::text[]) w
    union select unnest(tsvector_to_array(to_tsvector(c, w))) from unnest(${words}::text[]) w, unnest(${[...STEM_CONFIGS]}::regconfig[]) c)`;
}

/** Either may hold: a record needs one of the terms of either side (known only when both sides have terms). */
function orTerms(terms: Array<RawBuilder<unknown> | null | undefined>): RawBuilder<unknown> | null {
  return terms.length && terms.every((t) => t) ? sql`(${sql.join(terms as RawBuilder<unknown>[], sql` || `)})` : null;
}

function tsq(index: TextIndex, text: string, phrase: boolean): RawBuilder<unknown> | null {
  const parsed: ParsedQuery = {
    clauses: [{ field: WEIGHTS[index], text, phrase }],
    isbns: [],
    yearFrom: null,
    yearTo: null,
    words: [],
  };
  const query = tsqueryOf(parsed);
  // As a scalar subquery the tsquery is computed once per statement (an InitPlan), not once per
  // row it is tested against (seven to_tsquery calls each).
  return query && sql`(select ${query})`;
}

/** One word: a tsquery (plain, or a prefix for a trailing `*`), else a regular expression. */
function wordCondition(index: TextIndex, word: Part[]): Translated {
  if (!masked(word)) {
    const text = analyzeForIndex(literalText(word));
    const query = text ? tsq(index, text, text.includes(' ')) : null;
    if (!query) throw new CqlDiagnostic(27, 'the term has no searchable characters');
    return {
      where: sql`rv.v @@ ${query}`,
      rank: query,
      need: query,
      terms: index === 'subject' ? subjectTerms([text]) : null,
    };
  }
  const last = word.at(-1)!;
  const head = word.slice(0, -1);
  const stem = analyzeForIndex(literalText(head));
  if (last.kind === 'anyChars' && !masked(head) && /^[\p{L}\p{N}]+$/u.test(stem)) {
    const lexeme = `'${stem}':*${LETTER[index]}`;
    const query = sql`(select to_tsquery('simple', unaccent(${lexeme})))`;
    return { where: sql`rv.v @@ ${query}`, rank: query, need: query };
  }
  if (!word.some((p) => p.kind === 'literal' && analyzeForIndex(p.value)))
    throw new CqlDiagnostic(29, 'a masked word needs at least one character that is not a mask');
  const pattern = `(^|[[:space:][:punct:]])${wordRegex(word)}($|[[:space:][:punct:]])`;
  return { where: sql`unaccent(${DOC[index]}) ~ unaccent(${pattern})`, rank: null, need: null };
}

function orRank(ranks: Array<RawBuilder<unknown> | null>): RawBuilder<unknown> | null {
  const present = ranks.filter((r): r is RawBuilder<unknown> => r !== null);
  return present.length ? sql`(${sql.join(present, sql` || `)})` : null;
}

/** Both must hold: the work must match every known need. */
function andNeed(needs: Array<RawBuilder<unknown> | null>): RawBuilder<unknown> | null {
  const present = needs.filter((n): n is RawBuilder<unknown> => n !== null);
  return present.length ? sql`(${sql.join(present, sql` && `)})` : null;
}

/** Either may hold: known only when every side has a need. */
function orNeed(needs: Array<RawBuilder<unknown> | null>): RawBuilder<unknown> | null {
  return needs.every((n) => n !== null) && needs.length
    ? sql`(${sql.join(needs as RawBuilder<unknown>[], sql` || `)})`
    : null;
}

/** Field values compared whole (==, exact): title, author names, subject headings. */
function exactValues(index: TextIndex): RawBuilder<unknown> {
  switch (index) {
    case 'creator':
      return sql`(select a->>'name' from jsonb_array_elements(r.fields->'authors') a)`;
    case 'subject':
      return sql`(select s->>'heading' from jsonb_array_elements(r.fields->'subjects') s)`;
    default:
      return sql`(select r.fields->>'title' union all select t from jsonb_array_elements_text(r.fields->'altTitles') t)`;
  }
}

const LIKE_SPECIAL = /[\\%_]/g;
function likePattern(pattern: Part[]): string {
  return pattern
    .map((p) =>
      p.kind === 'literal' ? p.value.toLowerCase().replace(LIKE_SPECIAL, '\\$&') : p.kind === 'anyChars' ? '%' : '_',
    )
    .join('');
}

function textClause(index: TextIndex, relation: string, pattern: Part[]): Translated {
  const words = wordsOf(pattern);
  if (words.length === 0) throw new CqlDiagnostic(27, 'an empty term is not supported');
  switch (relation) {
    case 'all': {
      const parts = words.map((w) => wordCondition(index, w));
      return {
        where: sql`(${sql.join(
          parts.map((p) => p.where),
          sql` and `,
        )})`,
        rank: orRank(parts.map((p) => p.rank)),
        need: andNeed(parts.map((p) => p.need)),
        terms: parts.find((p) => p.terms)?.terms ?? null,
      };
    }
    case 'any': {
      const parts = words.map((w) => wordCondition(index, w));
      return {
        where: sql`(${sql.join(
          parts.map((p) => p.where),
          sql` or `,
        )})`,
        rank: orRank(parts.map((p) => p.rank)),
        need: orNeed(parts.map((p) => p.need)),
        terms: orTerms(parts.map((p) => p.terms)),
      };
    }
    case '=':
    case 'adj': {
      if (words.length === 1) return wordCondition(index, words[0]!);
      if (!words.some(masked)) {
        const text = analyzeForIndex(words.map(literalText).join(' '));
        const query = tsq(index, text, true);
        if (!query) throw new CqlDiagnostic(27, 'the term has no searchable characters');
        // A phrase: the configuration that matches may have dropped some of its words as stop
        // words, so a record is only sure to have a form of one of them.
        return {
          where: sql`rv.v @@ ${query}`,
          rank: query,
          need: query,
          terms: index === 'subject' ? subjectTerms(text.split(' ')) : null,
        };
      }
      // A phrase with masked words: every word must be there, next to each other.
      const parts = words.map((w) => wordCondition(index, w));
      const phrase = `(^|[[:space:][:punct:]])${words.map(wordRegex).join('[[:space:][:punct:]]+')}($|[[:space:][:punct:]])`;
      return {
        where: sql`(${sql.join(
          parts.map((p) => p.where),
          sql` and `,
        )} and unaccent(${DOC[index]}) ~ unaccent(${phrase}))`,
        rank: orRank(parts.map((p) => p.rank)),
        need: andNeed(parts.map((p) => p.need)),
      };
    }
    case '==':
    case 'exact': {
      const like = likePattern(pattern);
      return {
        where: sql`exists (select 1 from ${exactValues(index)} as v(value) where unaccent(lower(v.value)) like unaccent(${like}))`,
        rank: null,
        need: null,
      };
    }
    case '<>': {
      const positive = textClause(index, '=', pattern);
      return { where: sql`not (${positive.where})`, rank: null, need: null };
    }
    default:
      throw new CqlDiagnostic(
        19,
        `the relation "${relation}" is not supported with a text index (=, ==, exact, all, any, adj and <> are)`,
      );
  }
}

// ── identifiers, dates, ids ──────────────────────────────────────────────────

function plainTerm(pattern: Part[], what: string): string {
  if (pattern.some((p) => p.kind !== 'literal')) throw new CqlDiagnostic(28, `masking is not supported for ${what}`);
  return pattern
    .map((p) => (p as { value: string }).value)
    .join('')
    .trim();
}

function equalityOnly(relation: string, index: string, condition: RawBuilder<unknown>): RawBuilder<unknown> {
  if (['=', '==', 'exact', 'any', 'all', 'adj'].includes(relation)) return condition;
  if (relation === '<>') return sql`not (${condition})`;
  throw new CqlDiagnostic(19, `the relation "${relation}" is not supported with ${index} (=, ==, exact and <> are)`);
}

const jsonHas = (path: RawBuilder<unknown>, value: string) => sql`${path} @> ${JSON.stringify([value])}::jsonb`;

function identifierClause(
  index: 'identifier' | 'isbn' | 'issn' | 'id',
  relation: string,
  pattern: Part[],
): RawBuilder<unknown> {
  const term = plainTerm(pattern, `the index ${index}`);
  if (!term) throw new CqlDiagnostic(27, 'an empty term is not supported');
  const isbn = normalizeIsbn(term);
  const issn = normalizeIssn(term);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(term) ? term.toLowerCase() : null;
  let condition: RawBuilder<unknown>;
  switch (index) {
    case 'isbn':
      condition = isbn ? jsonHas(sql`r.fields->'isbns'`, isbn) : sql`false`;
      break;
    case 'issn':
      condition = issn ? jsonHas(sql`r.fields->'issns'`, issn) : sql`false`;
      break;
    case 'id':
      condition = uuid ? sql`r.id = ${uuid}::uuid` : sql`false`;
      break;
    default: {
      const lccn = normalizeLccn(term);
      const oclc = normalizeOclc(term) ?? (/^\d+$/.test(term) ? term.replace(/^0+/, '') : null);
      const any = [
        ...(isbn ? [jsonHas(sql`r.fields->'isbns'`, isbn)] : []),
        ...(issn ? [jsonHas(sql`r.fields->'issns'`, issn)] : []),
        ...(lccn ? [sql`r.fields->>'lccn' = ${lccn}`] : []),
        ...(oclc ? [jsonHas(sql`r.fields->'oclcNumbers'`, oclc)] : []),
        ...(uuid ? [sql`r.id = ${uuid}::uuid`] : []),
        sql`r.record_key = ${term}`,
        sql`split_part(r.record_key, '/', 2) = ${term}`,
      ];
      condition = sql`(${sql.join(any, sql` or `)})`;
    }
  }
  return equalityOnly(relation, `dc.${index}`, condition);
}

function dateClause(relation: string, pattern: Part[]): RawBuilder<unknown> {
  const term = plainTerm(pattern, 'dc.date');
  const years = term.split(/\s+/).map((y) => (/^\d{1,4}$/.test(y) ? Number(y) : NaN));
  if (years.some(Number.isNaN) || years.length === 0)
    throw new CqlDiagnostic(36, `"${term}" is not a year (dc.date takes years, e.g. 1968)`);
  if (relation === 'within') {
    if (years.length !== 2) throw new CqlDiagnostic(36, 'dc.date within takes two years, e.g. "1960 1970"');
    return sql`r.year between ${Math.min(years[0]!, years[1]!)} and ${Math.max(years[0]!, years[1]!)}`;
  }
  if (years.length !== 1) throw new CqlDiagnostic(36, `"${term}" is not one year`);
  const year = years[0]!;
  const op = { '=': '=', '==': '=', exact: '=', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '<>': '<>' }[relation];
  if (!op)
    throw new CqlDiagnostic(
      19,
      `the relation "${relation}" is not supported with dc.date (=, ==, <, >, <=, >=, <> and within are)`,
    );
  return sql`r.year ${sql.raw(op)} ${year}`;
}

// ── the tree ─────────────────────────────────────────────────────────────────

const RELATION_MODIFIERS = new Set(['relevant', 'stem', 'masked', 'unmasked', 'ignorecase', 'ignoreaccents']);

function clauseSql(clause: CqlSearchClause, prefixes: PrefixMap): Translated {
  const index = resolveCqlIndex(clause.index, prefixes);
  const relation = clause.relation.base.replace(/^cql\./, '');
  let unmasked = false;
  for (const m of clause.relation.modifiers) {
    const name = m.name.toLowerCase().replace(/^cql\./, '');
    if (!RELATION_MODIFIERS.has(name))
      throw new CqlDiagnostic(
        20,
        `the relation modifier "${m.name}" is not supported (${[...RELATION_MODIFIERS].join(', ')} are)`,
      );
    if (name === 'unmasked') unmasked = true;
  }
  if (clause.term.anchoredStart || clause.term.anchoredEnd || clause.term.pattern.some((p) => p.kind === 'anchor')) {
    if (!['==', 'exact'].includes(relation))
      throw new CqlDiagnostic(31, 'anchoring (^) is supported only with == and exact, which compare whole values');
  }
  let pattern = clause.term.pattern.filter((p): p is Part => p.kind !== 'anchor');
  if (unmasked)
    pattern = pattern.map((p) =>
      p.kind === 'literal' ? p : { kind: 'literal', value: p.kind === 'anyChars' ? '*' : '?' },
    );
  switch (index) {
    case 'allRecords':
      return { where: sql`true`, rank: null, need: null };
    case 'any':
    case 'title':
    case 'creator':
    case 'subject':
      return textClause(index, relation, pattern);
    case 'date':
      return { where: dateClause(relation, pattern), rank: null, need: null };
    default:
      return { where: identifierClause(index, relation, pattern), rank: null, need: null };
  }
}

function nodeSql(node: CqlNode, outer: PrefixMap): Translated {
  const scope = prefixMap(node.prefixes, outer);
  if (node.type === 'searchClause') return clauseSql(node, scope);
  if (node.modifiers.length)
    throw new CqlDiagnostic(46, `boolean modifiers are not supported (/${node.modifiers[0]!.name})`);
  if (node.operator === 'prox') throw new CqlDiagnostic(39, 'proximity (prox) is not supported');
  const left = nodeSql(node.left, scope);
  const right = nodeSql(node.right, scope);
  switch (node.operator) {
    case 'and':
      return {
        where: sql`(${left.where} and ${right.where})`,
        rank: orRank([left.rank, right.rank]),
        need: andNeed([left.need, right.need]),
        terms: left.terms ?? right.terms ?? null,
      };
    case 'or':
      return {
        where: sql`(${left.where} or ${right.where})`,
        rank: orRank([left.rank, right.rank]),
        need: orNeed([left.need, right.need]),
        terms: orTerms([left.terms, right.terms]),
      };
    default:
      return {
        where: sql`(${left.where} and not ${right.where})`,
        rank: left.rank,
        need: left.need,
        terms: left.terms ?? null,
      };
  }
}

function sortSql(query: CqlQuery, rank: RawBuilder<unknown> | null): RawBuilder<unknown> {
  const root = prefixMap(query.root.prefixes);
  const keys = query.sortKeys.map((key) => {
    const index = resolveCqlIndex(key.index, root);
    const column = {
      title: sql`lower(r.fields->>'sortTitle')`,
      creator: sql`lower(r.fields->'authors'->0->>'name')`,
      date: sql`r.year`,
      id: sql`r.id`,
    }[index as 'title'];
    if (!column) throw new CqlDiagnostic(16, `"${key.index}" cannot be sorted on (${CQL_SORT_INDEXES.join(', ')} can)`);
    let direction = sql`asc`;
    let nulls = sql`nulls last`;
    for (const m of key.modifiers) {
      const name = m.name.toLowerCase().replace(/^sort\./, '');
      if (name === 'descending') direction = sql`desc`;
      else if (name === 'ascending') direction = sql`asc`;
      else if (name === 'missinglow') nulls = sql`nulls first`;
      else if (name === 'missinghigh') nulls = sql`nulls last`;
      else if (!['ignorecase', 'respectcase', 'ignoreaccents'].includes(name))
        throw new CqlDiagnostic(20, `the sort modifier "${m.name}" is not supported`);
    }
    return sql`${column} ${direction} ${nulls}`;
  });
  if (keys.length === 0 && rank) keys.push(sql`ts_rank_cd(rv.v, ${rank}, 1) desc`);
  keys.push(sql`r.id`);
  return sql.join(keys, sql`, `);
}

// A record's tsvector, built as the catalogue builds it (weights A title, B names, C subjects and
// series, D the rest; accent-folded 'simple' words for all, stems for titles and subjects in the
// record's languages). Computed per candidate row: candidates come from the works' indexed vectors.
const STEMS: Array<[string, string[]]> = [
  ['english', ['eng']],
  ['russian', ['rus']],
  ['spanish', ['spa']],
  ['french', ['fre', 'fra']],
  ['portuguese', ['por']],
  ['german', ['ger', 'deu']],
];
const RECORD_VECTOR = sql`(
  setweight(to_tsvector('simple', unaccent(coalesce(r.search_doc->>'a', ''))), 'A')
  || setweight(to_tsvector('simple', unaccent(coalesce(r.search_doc->>'b', ''))), 'B')
  || setweight(to_tsvector('simple', unaccent(coalesce(r.search_doc->>'c', ''))), 'C')
  || setweight(to_tsvector('simple', unaccent(coalesce(r.search_doc->>'d', ''))), 'D')
  ${sql.join(
    STEMS.map(
      ([cfg, langs]) => sql`|| case when r.languages && ${sql.lit(`{${langs.join(',')}}`)}::text[] then
        setweight(to_tsvector(${sql.lit(cfg)}::regconfig, coalesce(r.search_doc->>'a', '')), 'A')
        || setweight(to_tsvector(${sql.lit(cfg)}::regconfig, coalesce(r.search_doc->>'c', '')), 'C') else ''::tsvector end`,
    ),
    sql` `,
  )})`;

/** A record found by a CQL search, with what SRU needs to write it. */
export interface CqlHit {
  id: string;
  workId: string;
  libraryId: string;
  marc: MarcRecord;
  fields: NormalizedRecord;
}

// Up to about this many candidate records (the records of the works the search index finds), a
// search checks every one against the query: an exact total, hits ranked by relevance. Past it,
// checking each (its vector is computed per row) would take seconds at a million records, so the
// total is estimated from a sample of the works (marked in the search index, as the catalogue's
// search does) and hits are listed most widely held work first, checked only until the page is full.
const EXACT_UP_TO = 300;
// Works in the finest sample below which its estimate is too rough: the matches are counted whole.
const SAMPLE_ENOUGH = 32;

type HitRow = { id: string; work_id: string; organization_id: string; marc: MarcRecord; fields: NormalizedRecord };
const hitOf = (r: HitRow): CqlHit => ({
  id: r.id,
  workId: r.work_id,
  libraryId: r.organization_id,
  marc: r.marc,
  fields: r.fields,
});

/**
 * Runs a parsed CQL query over the live records of every library: the total and one page
 * (`offset`, `limit`), ordered by `sortBy`, else by relevance (or, for a search with very many
 * candidates, most widely held work first, with an estimated total: `approximate`). Throws
 * CqlDiagnostic for indexes, relations, modifiers, masks or terms this server does not support.
 */
export async function searchRecordsByCql(
  ctx: AppContext,
  query: CqlQuery,
  page: { offset: number; limit: number },
  limits: { exactUpTo?: number } = {},
): Promise<{ total: number; records: CqlHit[]; approximate?: boolean }> {
  const { where, rank, need, terms } = nodeSql(query.root, new Map());
  const db = catalogDb(ctx.db);
  const usesVector = (text: RawBuilder<unknown>) => text.compile(db).sql.includes('rv.v');
  const vector = (text: RawBuilder<unknown>) =>
    usesVector(text) ? sql`cross join lateral (select ${RECORD_VECTOR} as v) rv` : sql``;

  if (need && query.sortKeys.length === 0) {
    const candidates = await candidateRecords(db, need);
    if (candidates.records > (limits.exactUpTo ?? EXACT_UP_TO)) {
      // Works in order of holdings (record_count desc, id), each work's matching records newest
      // first in the order of its (work_id, year) index, so that a work's records are checked
      // only until the page is full (editions of one year in the index's order); the
      // works marked popular come first in that order, so a first page is found among them.
      const upTo = page.offset + page.limit;
      // With subject terms a record must have, a work's records carrying them are read from
      // their key, newest first, one ordered scan per form merged (a work held in thousands of
      // editions may have a subject on a few, or on all of them), instead of checking every edition.
      const forms = terms ? (await sql<{ forms: string[] }>`select ${terms} as forms`.execute(db)).rows[0]!.forms : [];
      const ofWork = forms.length
        ? sql`
          select r.id, r.work_id, r.organization_id, r.marc, r.fields, t.year
          from (select distinct u.year, u.record_id from (${sql.join(
            forms.map(
              (form) => sql`(select t.year, t.record_id from catalog_search.record_subject_terms t
                where t.term = ${form} and t.work_id = top.id order by t.year desc nulls last, t.record_id)`,
            ),
            sql` union all `,
          )}) u order by u.year desc nulls last, u.record_id) t
          cross join lateral (
            select r.id, r.work_id, r.organization_id, r.marc, r.fields from catalog_records r ${vector(where)}
            where r.id = t.record_id and r.deleted_at is null and ${where}) r
          order by t.year desc nulls last, t.record_id limit ${upTo}`
        : sql`
          select r.id, r.work_id, r.organization_id, r.marc, r.fields, r.year from catalog_records r ${vector(where)}
          where r.work_id = top.id and r.deleted_at is null and ${where}
          order by r.year desc nulls last limit ${upTo}`;
      const pageOf = (works: RawBuilder<unknown>) => sql<HitRow>`
        select r.id, r.work_id, r.organization_id, r.marc, r.fields
        from (select w.id, w.record_count from catalog_works w where w.search_vector @@ ${works}
              order by w.record_count desc, w.id) top
        cross join lateral (${ofWork}) r
        order by top.record_count desc, top.id, r.year desc nulls last, r.id
        limit ${page.limit} offset ${page.offset}`;
      let rows: HitRow[] = [];
      if (page.limit > 0) {
        rows = (await pageOf(sql`(${need} && ${popularQuery()})`).execute(db)).rows;
        if (rows.length < page.limit) rows = (await pageOf(need).execute(db)).rows;
      }
      const total = Math.max(candidates.records, page.offset + rows.length);
      return { total, records: rows.map(hitOf), approximate: true };
    }
  }

  const order = sortSql(query, rank);
  const from = sql`from catalog_records r ${vector(sql`${where} ${order}`)}`;
  // The candidate works first, through the search index, as an array: as a join or `in`, the
  // planner would sometimes test the tsquery on every work instead (seconds at a million records).
  const filter = sql`r.deleted_at is null ${need ? sql`and r.work_id = any(array(select w.id from catalog_works w where w.search_vector @@ ${need}))` : sql``} and ${where}`;
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`select count(*)::int as n ${from} where ${filter}`.execute(db),
    page.limit > 0
      ? sql<HitRow>`
          select r.id, r.work_id, r.organization_id, r.marc, r.fields ${from}
          where ${filter}
          order by ${order} limit ${page.limit} offset ${page.offset}`.execute(db)
      : Promise.resolve({ rows: [] }),
  ]);
  return { total: count.rows[0]!.n, records: rows.rows.map(hitOf) };
}

/**
 * How many records the works matching `need` hold: estimated from the sample of works (marked in
 * the search index, nested: one in 2^level) that holds a few dozen of them, else counted whole.
 */
async function candidateRecords(
  db: ReturnType<typeof catalogDb>,
  need: RawBuilder<unknown>,
): Promise<{ records: number; approximate: boolean }> {
  const count = async (works: RawBuilder<unknown>) =>
    (
      await sql<{
        works: number;
        records: number;
      }>`select count(*)::int as works, coalesce(sum(w.record_count), 0)::int as records from catalog_works w where w.search_vector @@ ${works}`.execute(
        db,
      )
    ).rows[0]!;
  const finest = await count(sql`(${need} && ${sampleQuery(SAMPLE_LEVELS)})`);
  if (finest.works >= SAMPLE_ENOUGH) return { records: finest.records * 2 ** SAMPLE_LEVELS, approximate: true };
  if (finest.works >= 2) {
    const level = SAMPLE_LEVELS - Math.ceil(Math.log2(SAMPLE_ENOUGH / finest.works));
    if (level >= 1) {
      const sampled = await count(sql`(${need} && ${sampleQuery(level)})`);
      return { records: sampled.records * 2 ** level, approximate: true };
    }
  }
  return { records: (await count(need)).records, approximate: false };
}

/** One entry of an index's term list, with how many live records carry it. */
export interface ScanTerm {
  value: string;
  count: number;
}

const SCAN_VALUES: Partial<Record<Index, RawBuilder<unknown>>> = {
  any: sql`(select lower(r.fields->>'title'))`,
  title: sql`(select lower(r.fields->>'title'))`,
  creator: sql`(select lower(a->>'name') from jsonb_array_elements(r.fields->'authors') a)`,
  subject: sql`(select lower(s->>'heading') from jsonb_array_elements(r.fields->'subjects') s)`,
  date: sql`(select r.year::text where r.year is not null)`,
  isbn: sql`(select jsonb_array_elements_text(r.fields->'isbns'))`,
  issn: sql`(select jsonb_array_elements_text(r.fields->'issns'))`,
  identifier: sql`(select jsonb_array_elements_text(r.fields->'isbns') union select jsonb_array_elements_text(r.fields->'issns'))`,
};

/**
 * Browses an index's terms around a start term (SRU scan): up to `before` terms that sort before
 * it and `after` terms from it on, each with its record count. Terms are lower-cased values.
 */
export async function scanCqlIndex(
  ctx: AppContext,
  clause: CqlSearchClause,
  prefixes: PrefixMap,
  window: { before: number; after: number },
): Promise<{ before: ScanTerm[]; after: ScanTerm[] }> {
  const index = resolveCqlIndex(clause.index, prefixes);
  const values = SCAN_VALUES[index];
  if (!values) throw new CqlDiagnostic(16, `"${clause.index}" cannot be scanned`);
  if (!['=', '==', 'exact'].includes(clause.relation.base))
    throw new CqlDiagnostic(19, `scan takes the relation = (or ==), not "${clause.relation.base}"`);
  if (clause.term.pattern.some((p) => p.kind !== 'literal'))
    throw new CqlDiagnostic(28, 'masking is not supported in a scan clause');
  const start = clause.term.text.toLowerCase();
  const db = catalogDb(ctx.db);
  const terms = sql`select v.value, count(*)::int as count from catalog_records r, lateral ${values} as v(value) where r.deleted_at is null and v.value is not null group by v.value`;
  const [after, before] = await Promise.all([
    window.after > 0
      ? sql<ScanTerm>`select * from (${terms}) t where t.value collate "C" >= ${start} order by t.value collate "C" limit ${window.after}`.execute(
          db,
        )
      : Promise.resolve({ rows: [] }),
    window.before > 0
      ? sql<ScanTerm>`select * from (${terms}) t where t.value collate "C" < ${start} order by t.value collate "C" desc limit ${window.before}`.execute(
          db,
        )
      : Promise.resolve({ rows: [] }),
  ]);
  return { before: before.rows.reverse(), after: after.rows };
}
