// The two SRU response vocabularies: 1.2 (http://www.loc.gov/zing/srw/) and 2.0 (OASIS
// searchRetrieve). The element names are the same; namespaces and a few record elements differ.
import { XML_DECLARATION, xmlElement, xmlText } from '../../../platform/xml.js';
import type { SruDiagnostic } from './diagnostics.js';

export type SruVersion = '1.2' | '2.0';

export const NS = {
  '1.2': {
    response: 'http://www.loc.gov/zing/srw/',
    diagnostic: 'http://www.loc.gov/zing/srw/diagnostic/',
    scan: 'http://www.loc.gov/zing/srw/',
  },
  '2.0': {
    response: 'http://docs.oasis-open.org/ns/search-ws/sruResponse',
    diagnostic: 'http://docs.oasis-open.org/ns/search-ws/diagnostic',
    scan: 'http://docs.oasis-open.org/ns/search-ws/scan',
  },
} as const;

/** Writes elements with the response prefix (`srw:` in 1.2, `sru:` in 2.0). */
export class SruWriter {
  readonly p: string;
  constructor(readonly version: SruVersion) {
    this.p = version === '1.2' ? 'srw' : 'sru';
  }
  el(name: string, text: string | number, prefix = this.p): string {
    return `${xmlElement(`${prefix}:${name}`, text)}\n`;
  }
  open(name: string, prefix = this.p): string {
    return `<${prefix}:${name}>\n`;
  }
  close(name: string, prefix = this.p): string {
    return `</${prefix}:${name}>\n`;
  }
  /** The document: declaration and root with the namespaces used. */
  document(root: string, body: string, rootPrefix = this.p): string {
    const ns = NS[this.version];
    const declarations =
      rootPrefix === 'scan'
        ? `xmlns:scan="${ns.scan}" xmlns:diag="${ns.diagnostic}"`
        : `xmlns:${this.p}="${ns.response}" xmlns:diag="${ns.diagnostic}"`;
    return `${XML_DECLARATION}<${rootPrefix}:${root} ${declarations}>\n${body}</${rootPrefix}:${root}>\n`;
  }
  diagnostics(list: SruDiagnostic[], prefix = this.p): string {
    if (list.length === 0) return '';
    const items = list
      .map(
        (d) =>
          `<diag:diagnostic>\n${xmlElement('diag:uri', d.uri)}\n${d.details ? `${xmlElement('diag:details', d.details)}\n` : ''}${xmlElement('diag:message', d.message)}\n</diag:diagnostic>\n`,
      )
      .join('');
    return `${this.open('diagnostics', prefix)}${items}${this.close('diagnostics', prefix)}`;
  }
  /** A record: schema, packing, the data (as XML, or escaped as a string), position. */
  record(schema: string, data: string, escaping: 'xml' | 'string', position: number | null): string {
    const packing =
      this.version === '1.2'
        ? this.el('recordPacking', escaping)
        : `${this.el('recordPacking', 'packed')}${this.el('recordXMLEscaping', escaping)}`;
    const payload = escaping === 'string' ? xmlText(data) : `\n${data}`;
    return (
      this.open('record') +
      this.el('recordSchema', schema) +
      packing +
      `<${this.p}:recordData>${payload}</${this.p}:recordData>\n` +
      (position !== null ? this.el('recordPosition', position) : '') +
      this.close('record')
    );
  }
}
