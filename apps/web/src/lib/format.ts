import { useTranslation } from 'react-i18next';
import { languageTag } from '../app/i18n';

const MONDAY = Date.UTC(2024, 0, 1);
const DAY_INDEX = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;
export type Weekday = keyof typeof DAY_INDEX;
export const WEEKDAYS = Object.keys(DAY_INDEX) as Weekday[];

function clock(time: string): number {
  const [h = '0', m = '0'] = time.split(':');
  return Date.UTC(2024, 0, 1, Number(h), Number(m));
}

/** Locale-aware formatting for the active interface language. */
export function formatters(language: string) {
  const tag = languageTag(language);
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
  const time = new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  const weekday = new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' });
  const number = new Intl.NumberFormat(tag);
  const regions = new Intl.DisplayNames([tag], { type: 'region', fallback: 'code' });
  const languages = new Intl.DisplayNames([tag], { type: 'language', fallback: 'code' });
  return {
    tag,
    dateTime: (iso: string | Date) => dateTime.format(new Date(iso)),
    date: (iso: string | Date) => date.format(new Date(iso)),
    /** A moment as the clocks of `timeZone` show it, the zone named (a branch's due times and deadlines). */
    zonedDateTime: (iso: string | Date, timeZone: string | undefined) => {
      try {
        return new Intl.DateTimeFormat(tag, {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          timeZone,
          timeZoneName: 'short',
        }).format(new Date(iso));
      } catch {
        return dateTime.format(new Date(iso));
      }
    },
    number: (n: number) => number.format(n),
    weekday: (day: Weekday) => weekday.format(MONDAY + DAY_INDEX[day] * 86_400_000),
    timeRange: (opens: string, closes: string) => time.formatRange(clock(opens), clock(closes)),
    country: (code: string) => regions.of(code) ?? code,
    language: (code: string) => languages.of(code) ?? code,
  };
}

export type Formatters = ReturnType<typeof formatters>;

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return formatters(i18n.resolvedLanguage ?? i18n.language);
}

/** A language's own name for itself ("Русский", "العربية"), capitalized as that language does. */
export function endonym(language: string): string {
  const tag = languageTag(language);
  const name = new Intl.DisplayNames([tag], { type: 'language' }).of(language) ?? language;
  return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
}
