import type { NetworkPatron } from '@athenaeum/contracts';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useOrgName } from '../../../components/OrgName';
import { api } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { usePersonName } from '../person-name';

/** Patrons of the association's other libraries with this card whom this library may lend to. */
export const findNetworkPatrons = async (libraryId: string, cardNumber: string): Promise<NetworkPatron[]> =>
  (await api<{ items: NetworkPatron[] }>(`/organizations/${libraryId}/network-patrons`, { query: { cardNumber } }))
    .items;

const NETWORK_CODES = [
  'CIRCULATION_NETWORK_NOT_ASSOCIATED',
  'CIRCULATION_NETWORK_NOT_LENDING',
  'CIRCULATION_NETWORK_HOME_REFUSES',
  'CIRCULATION_NETWORK_CARD_AMBIGUOUS',
] as const;
export type NetworkCode = (typeof NETWORK_CODES)[number];
export const isNetworkCode = (code: string): code is NetworkCode => (NETWORK_CODES as readonly string[]).includes(code);

/** A network patron at the desk: who they are, their home library, and what stands in the way of lending. */
export function NetworkPatronSummary({ patron, today }: { patron: NetworkPatron; today: string }) {
  const { t } = useTranslation('fines');
  const format = useFormat();
  const orgName = useOrgName();
  const personName = usePersonName();
  return (
    <>
      <p>
        <strong>{t('desk.networkPatron', { name: personName(patron), card: patron.cardNumber })}</strong>
      </p>
      <p>{t('desk.homeLibrary', { library: orgName(patron.homeLibrary.names) })}</p>
      <p>{t('desk.loansEverywhere', { count: patron.openLoans })}</p>
      {patron.blocked ? <p className="desk-refused">{t('desk.blocked')}</p> : null}
      {patron.expiresOn < today ? (
        <p className="desk-refused">{t('desk.expired', { date: format.date(patron.expiresOn) })}</p>
      ) : null}
    </>
  );
}

/** Several libraries of the association have the card: staff choose the patron's home library. */
export function NetworkChoice({
  card,
  choices,
  onChoose,
}: {
  card: string;
  choices: NetworkPatron[];
  onChoose: (patron: NetworkPatron) => void;
}) {
  const { t } = useTranslation('fines');
  const orgName = useOrgName();
  const personName = usePersonName();
  return (
    <section className="panel desk-patron" aria-labelledby="network-choice-heading">
      <p id="network-choice-heading">{t('desk.chooseHome', { card })}</p>
      <ul className="desk-choices">
        {choices.map((p) => (
          <li key={p.id}>
            <Button className="button" onPress={() => onChoose(p)}>
              {t('desk.choice', { name: personName(p), library: orgName(p.homeLibrary.names) })}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
