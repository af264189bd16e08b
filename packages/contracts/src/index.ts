// Contracts shared by the server and the web app: the API's schemas and their types.
export * from './common.js';
export * from './organizations.js';
export * from './accounts.js';
export * from './catalog.js';
export * from './interop.js';
export * from './cataloguing.js';
export * from './marc-validation.js';
export * from './marc-form.js';
export * from './circulation.js';
export * from './registration.js';
export * from './holds.js';
