// The API's fixed vocabularies, as values for the browser: from @athenaeum/contracts/vocabulary,
// which holds the lists without the zod schemas (the package's main entry would bring zod into
// the bundle).
export { ORGANIZATION_KINDS, ROLES_BY_KIND, RTL_LOCALES, SUPPORTED_LOCALES } from '@athenaeum/contracts/vocabulary';
