// Validates XML against the official schemas kept in ../shared/data/schemas with xmllint
// (Debian libxml2-utils), offline: the XML catalog maps schema URLs to the local copies.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SERVER_ROOT } from '../platform/version.js';

export const SHARED_DATA = path.resolve(SERVER_ROOT, '../../../shared/data');
const SCHEMAS = path.join(SHARED_DATA, 'schemas');

/** Schemas by what they check: OAI-PMH with its payloads (oai_dc, MARCXML, oai-identifier), MARCXML, oai_dc, SRU 2.0, ZeeRex. */
export const SCHEMA_FILES = {
  oai: path.join(SCHEMAS, 'oai/oai-pmh-bundle.local.xsd'),
  marcxml: path.join(SCHEMAS, 'marc/MARC21slim.xsd'),
  oaiDc: path.join(SCHEMAS, 'oai/oai_dc.xsd'),
  sru2: path.join(SCHEMAS, 'sru/2.0/sruResponse.indexdata-local.xsd'),
  zeerex: path.join(SCHEMAS, 'sru/2.0/explain.xsd'),
} as const;

/** Runs `xmllint --nonet --noout --schema`; returns null when the document validates, else xmllint's messages. */
export function xmllintErrors(xml: string, schema: keyof typeof SCHEMA_FILES): string | null {
  const result = spawnSync('xmllint', ['--nonet', '--noout', '--schema', SCHEMA_FILES[schema], '-'], {
    input: xml,
    encoding: 'utf8',
    env: { ...process.env, XML_CATALOG_FILES: path.join(SCHEMAS, 'catalog.xml') },
    maxBuffer: 64 << 20,
  });
  if (result.error) throw result.error;
  if (result.status === 0) return null;
  // The schema loader's notes about imports it skipped are not about the document.
  return (
    result.stderr
      .split('\n')
      .filter((l) => l && !l.includes('Schemas parser warning') && !l.endsWith('fails to validate'))
      .join('\n') || result.stderr
  );
}

/** Null when the text is well-formed XML (no schema: for SRU 1.2, whose schemas are not in ../shared/data), else xmllint's messages. */
export function xmlWellFormedErrors(xml: string): string | null {
  const result = spawnSync('xmllint', ['--nonet', '--noout', '-'], {
    input: xml,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.error) throw result.error;
  return result.status === 0 ? null : result.stderr;
}
