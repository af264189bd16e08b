import type { HoldOption } from '@athenaeum/contracts';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SelectField, TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { StatusMessage } from '../../../components/states';
import { useProblemMessage } from '../../../lib/problems';
import { useMe } from '../../../lib/session';
import { useOrganizations } from '../../catalog/organizations';
import { organizationQuery } from '../../organizations/OrganizationPage';
import { holdOptionsQuery } from '../patron/api';
import { useSwapFocus } from '../useSwapFocus';
import { requestIll } from './api';

/** A card of the person and the libraries that may lend this work to it. */
export interface Choice {
  card: HoldOption;
  lenders: string[];
}

/**
 * The server's rule, ahead of time: a card's library holds no copy, and another library of the
 * associations it belongs to does. Only then is an inter-library loan offered.
 */
function useIllChoices(libraryIds: readonly string[]): Choice[] {
  const options = useQuery(holdOptionsQuery);
  const cards = (options.data ?? []).filter((c) => !libraryIds.includes(c.library.id));
  const own = useQueries({ queries: cards.map((c) => ({ ...organizationQuery(c.library.id), staleTime: 600_000 })) });
  const groupIds = [...new Set(own.flatMap((q) => q.data?.memberOf.map((g) => g.id) ?? []))];
  const groups = useQueries({ queries: groupIds.map((id) => ({ ...organizationQuery(id), staleTime: 600_000 })) });
  return illChoices(
    options.data ?? [],
    new Map(own.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : []))),
    groups.flatMap((g) => (g.data ? [g.data] : [])),
    libraryIds,
  );
}

/**
 * The cards whose library holds no copy of the work (the others place a hold), each with the
 * libraries holding it that may lend it: members of an association the card's library belongs to.
 */
export function illChoices(
  cards: HoldOption[],
  cardLibraries: ReadonlyMap<string, { memberOf: ReadonlyArray<{ id: string }> }>,
  groups: ReadonlyArray<{ id: string; members: ReadonlyArray<{ id: string; kind: string }> }>,
  libraryIds: readonly string[],
): Choice[] {
  return cards
    .filter((card) => !libraryIds.includes(card.library.id))
    .map((card) => {
      const memberOf = new Set(cardLibraries.get(card.library.id)?.memberOf.map((g) => g.id) ?? []);
      const network = new Set(
        groups.flatMap((g) =>
          memberOf.has(g.id) ? g.members.filter((m) => m.kind === 'library').map((m) => m.id) : [],
        ),
      );
      return { card, lenders: libraryIds.filter((id) => id !== card.library.id && network.has(id)) };
    })
    .filter((choice) => choice.lenders.length > 0);
}

/** "Ask another library" on a work page, for a signed-in patron whose library has no copy. */
export function RequestIllButton({ workId, libraryIds }: { workId: string; libraryIds: readonly string[] }) {
  const me = useMe();
  if (!me) return null;
  return <RequestIll workId={workId} libraryIds={libraryIds} />;
}

function RequestIll({ workId, libraryIds }: { workId: string; libraryIds: readonly string[] }) {
  const { t } = useTranslation('circulation');
  const { t: common } = useTranslation();
  const orgName = useOrgName();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const choices = useIllChoices(libraryIds);
  const libraries = useOrganizations(libraryIds);
  const [open, setOpen] = useState(false);
  const { opener, panel } = useSwapFocus(open);
  const [patronId, setPatronId] = useState<string | null>(null);
  const [lenderId, setLenderId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const libraryName = (id: string) => {
    const org = libraries.get(id);
    return org ? orgName(org.names) : '';
  };
  const send = useMutation({
    mutationFn: requestIll,
    onSuccess: async (created) => {
      setMessage({ ok: true, text: t('family.ill.requested', { library: libraryName(created.lenderLibraryId) }) });
      setOpen(false);
      setNote('');
      await client.invalidateQueries({ queryKey: ['ill', 'mine'] });
    },
    onError: (error) => setMessage({ ok: false, text: t('holds.refused', { reason: problem(error) }) }),
  });
  if (choices.length === 0 && !message) return null;

  const choice = choices.find((c) => c.card.patronId === patronId) ?? choices[0];
  const lender = lenderId && choice?.lenders.includes(lenderId) ? lenderId : (choice?.lenders[0] ?? null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (choice && lender) {
      send.mutate({
        workId,
        patronId: choice.card.patronId,
        lenderLibraryId: lender,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
    }
  };

  return (
    <div className="place-hold request-ill">
      {choice && !open ? (
        <>
          <p className="field-description">{t('family.ill.hint')}</p>
          <Button
            ref={opener}
            className="button"
            onPress={() => {
              setMessage(null);
              setOpen(true);
            }}
          >
            {t('family.ill.request')}
          </Button>
        </>
      ) : choice ? (
        <div ref={panel}>
          <Form onSubmit={submit} aria-label={t('family.ill.requestTitle')} className="place-hold-form">
            {choices.length > 1 ? (
              <SelectField
                label={t('holds.card')}
                options={choices.map((c) => ({
                  id: c.card.patronId,
                  label: `${orgName(c.card.library.names)} · ${c.card.cardNumber}`,
                }))}
                value={choice.card.patronId}
                onChange={setPatronId}
              />
            ) : null}
            <SelectField
              label={t('family.ill.lender')}
              options={choice.lenders.map((id) => ({ id, label: libraryName(id) }))}
              value={lender}
              onChange={setLenderId}
            />
            <TextInput label={t('family.ill.note')} value={note} onChange={setNote} maxLength={1000} />
            <Button type="submit" className="button button-primary" isDisabled={send.isPending || !lender}>
              {t('family.ill.submit')}
            </Button>
            <Button className="button" onPress={() => setOpen(false)} isDisabled={send.isPending}>
              {common('action.cancel')}
            </Button>
          </Form>
        </div>
      ) : null}
      {message && !message.ok ? (
        <div role="alert" className="alert alert-error">
          {message.text}
        </div>
      ) : null}
      <StatusMessage>
        {message?.ok ? (
          <>
            {message.text} <Link to="/me/ill-requests">{t('ill.mine')}</Link>
          </>
        ) : null}
      </StatusMessage>
    </div>
  );
}
