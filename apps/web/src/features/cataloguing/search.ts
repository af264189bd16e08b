// Search parameters of the cataloguing pages (kept apart from the pages, which load on demand).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewRecordSearch {
  library?: string | undefined;
  flavour?: 'marc21' | 'unimarc' | undefined;
}

export function validateNewRecordSearch(search: Record<string, unknown>): NewRecordSearch {
  return {
    library: typeof search.library === 'string' && UUID.test(search.library) ? search.library : undefined,
    flavour: search.flavour === 'unimarc' || search.flavour === 'marc21' ? search.flavour : undefined,
  };
}

export function validateRecordEditorSearch(search: Record<string, unknown>): { created?: boolean | undefined } {
  return { created: search.created === true || search.created === 'true' ? true : undefined };
}
