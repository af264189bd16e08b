/** Picks the name in the interface language, else English, else the first one given. */
export function pickName(names: Record<string, string>, language: string): { text: string; lang: string } {
  const base = language.split('-')[0] ?? language;
  for (const candidate of [language, base, 'en']) {
    const text = names[candidate];
    if (text) return { text, lang: candidate };
  }
  const [lang, text] = Object.entries(names)[0] ?? ['und', ''];
  return { text, lang };
}
