// MARC 21 and UNIMARC records in ISO 2709, MARCXML and MARC-in-JSON, with MARC-8 and other
// character sets. A standalone package: it depends on nothing of the application.
export * from './record.js';
export * from './charsets/index.js';
