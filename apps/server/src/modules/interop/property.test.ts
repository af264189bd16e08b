// Property tests for what reads untrusted input: OAI-PMH arguments and resumption tokens, OAI-PMH
// responses (the harvester), and CQL queries turned into SQL (the SRU server) — each fails only
// in its protocol's own way, never with another exception or a database error.
import { CqlDiagnostic, parseCql } from '@athenaeum/cql';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { buildOrganization } from '../accounts/accounts.factories.js';
import { marcRecord } from '../catalog/catalog.factories.js';
import { importRecords, searchRecordsByCql } from '../catalog/index.js';
import { OaiParseError, parseOaiResponse } from './harvest/oai-response.js';
import { dateRange, OaiFailure, parseOaiRequest } from './oai/request.js';
import { decodeToken, encodeToken, type TokenState } from './oai/token.js';

const OAI_WORDS = [
  'verb',
  'Identify',
  'ListRecords',
  'ListIdentifiers',
  'GetRecord',
  'ListSets',
  'ListMetadataFormats',
  'metadataPrefix',
  'oai_dc',
  'from',
  'until',
  'set',
  'identifier',
  'resumptionToken',
  '2020-01-01',
  'T00:00:00Z',
  '&',
  '=',
  '%',
  ':',
];

describe('OAI-PMH arguments and tokens', () => {
  it('parseOaiRequest and dateRange throw only OaiFailure', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...OAI_WORDS), fc.string()), { maxLength: 12 }), (pieces) => {
        try {
          const request = parseOaiRequest(new URLSearchParams(pieces.join('')));
          dateRange(request.args.from, request.args.until);
        } catch (error) {
          expect(error).toBeInstanceOf(OaiFailure);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a token decodes to the state it encodes, and any other string is refused with a reason', () => {
    const state = fc.record({
      verb: fc.constantFrom('ListRecords' as const, 'ListIdentifiers' as const),
      metadataPrefix: fc.string(),
      set: fc.option(fc.string(), { nil: undefined }),
      after: fc.record({
        stamp: fc
          .date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
          .map((d) => `${d.toISOString().slice(0, 19)}.123456Z`),
        id: fc.uuid(),
      }),
      cursor: fc.nat(),
      completeListSize: fc.nat(),
      expires: fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
    });
    fc.assert(
      fc.property(state, (s) => {
        const clean: TokenState = { ...s, ...(s.set === undefined ? {} : { set: s.set }) };
        if (s.set === undefined) delete (clean as Partial<TokenState>).set;
        expect(decodeToken(encodeToken(clean), s.verb, 0)).toEqual(clean);
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('ListRecords', 'ListIdentifiers'), (text, verb) => {
        expect(typeof decodeToken(text, verb, 0)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('OAI-PMH responses', () => {
  it('parseOaiResponse throws only OaiParseError, whatever the bytes', () => {
    const pieces = [
      '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">',
      '</OAI-PMH>',
      '<record>',
      '</record>',
      '<header status="deleted">',
      '</header>',
      '<metadata>',
      '</metadata>',
      '<resumptionToken>',
      '</resumptionToken>',
      '<!DOCTYPE x>',
      '&amp;',
      '&x;',
      '<![CDATA[',
      ']]>',
      '<',
      '>',
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 20 }), (parts) => {
        try {
          parseOaiResponse(parts.join(''));
        } catch (error) {
          expect(error).toBeInstanceOf(OaiParseError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('CQL on the catalogue', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
    const lib = await buildOrganization(env.ctx);
    const r = marcRecord('00000cam a2200000 a 4500', [
      '001 P1',
      '008 850101s1968    cau           000 1 eng d',
      '020 __$a9780547773742',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe wizard of Earthsea.',
      '650 _0$aWizards',
    ]);
    await importRecords(env.ctx, [{ record: r, position: { index: 0 } }], {
      libraryId: lib.id,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
  });

  it('any parseable query either runs or fails with a CQL diagnostic, never a database error', async () => {
    const index = fc.constantFrom(
      '',
      'dc.title',
      'dc.creator',
      'dc.subject',
      'dc.identifier',
      'dc.date',
      'bath.isbn',
      'bath.issn',
      'rec.id',
      'cql.serverChoice',
      'cql.allRecords',
      'dc.nope',
      'x.title',
    );
    const relation = fc.constantFrom(
      '=',
      '==',
      '<>',
      '<',
      '>',
      '<=',
      '>=',
      'all',
      'any',
      'adj',
      'exact',
      'within',
      '=/relevant',
      'all/stem',
      '=/unmasked',
      '=/fuzzy',
    );
    const term = fc.oneof(
      fc.constantFrom(
        'wizard',
        'wiz*',
        '*ard',
        'w?zard',
        'le guin',
        '1968',
        '1960 1970',
        '9780547773742',
        "o'brien",
        '%_\\\\',
        '^wizard^',
        '*',
        '?',
        '',
        '中华人民',
        'éàü',
        '(x)',
        'a*b?c',
      ),
      fc.string({ maxLength: 12 }),
    );
    const clause = fc
      .tuple(index, relation, term)
      .map(([i, r, t]) => `${i ? `${i} ${r} ` : ''}"${t.replace(/["\\]/g, '\\$&')}"`);
    const query = fc
      .tuple(
        clause,
        fc.array(fc.tuple(fc.constantFrom('and', 'or', 'not', 'prox'), clause), { maxLength: 3 }),
        fc.constantFrom('', ' sortBy dc.title', ' sortBy dc.date/sort.descending', ' sortBy dc.subject'),
      )
      .map(([first, rest, sort]) => first + rest.map(([op, c]) => ` ${op} ${c}`).join('') + sort);
    await fc.assert(
      fc.asyncProperty(query, async (text) => {
        let parsed;
        try {
          parsed = parseCql(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CqlDiagnostic);
          return;
        }
        try {
          const result = await searchRecordsByCql(env.ctx, parsed, { offset: 0, limit: 5 });
          expect(result.total).toBeGreaterThanOrEqual(result.records.length);
        } catch (error) {
          if (!(error instanceof CqlDiagnostic)) throw new Error(`${text}: ${(error as Error).message}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
