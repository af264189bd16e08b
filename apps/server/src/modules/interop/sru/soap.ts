// SRU 1.x over SOAP (SRW), the binding yaz-client and other Z39.50-era clients use by default:
// the request's elements become SRU parameters; the answer is the SRU 1.2 response in a SOAP
// envelope. Parsed with saxes; a DOCTYPE (and so any entity declaration) is refused.
import { SaxesParser } from 'saxes';

const OPERATIONS: Record<string, string> = {
  searchRetrieveRequest: 'searchRetrieve',
  explainRequest: 'explain',
  scanRequest: 'scan',
};

export const SOAP_ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';

/**
 * The SRU parameters of a SOAP request (`operation` from the request element's name), or null
 * when the body is not an SRW request (not XML, a DOCTYPE, no known request element).
 */
export function parseSoapRequest(body: string): URLSearchParams | null {
  const params = new URLSearchParams();
  const parser = new SaxesParser({ xmlns: true });
  let depth = 0;
  let requestDepth = -1;
  let current: string | null = null;
  let text = '';
  let failed = false;
  parser.on('doctype', () => {
    failed = true;
  });
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', (tag) => {
    depth++;
    if (requestDepth < 0 && OPERATIONS[tag.local]) {
      requestDepth = depth;
      params.set('operation', OPERATIONS[tag.local]!);
    } else if (requestDepth > 0 && depth === requestDepth + 1) {
      current = tag.local;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (current) text += t;
  });
  parser.on('closetag', () => {
    if (current && depth === requestDepth + 1) {
      params.append(current, text.trim());
      current = null;
    }
    depth--;
  });
  try {
    parser.write(body).close();
  } catch {
    return null;
  }
  return failed || requestDepth < 0 ? null : params;
}

/** An SRU 1.2 response document wrapped in a SOAP 1.1 envelope. */
export function soapEnvelope(sruXml: string): string {
  const inner = sruXml.replace(/^<\?xml[^>]*\?>\s*/, '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENVELOPE_NAMESPACE}">\n<SOAP-ENV:Body>\n${inner}</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n`;
}
