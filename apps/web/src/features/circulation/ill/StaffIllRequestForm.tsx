import type { CatalogSearchResult, Organization } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SelectField, TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { api } from '../../../lib/api';
import { useProblemMessage } from '../../../lib/problems';
import { useOrganizations } from '../../catalog/organizations';
import { workQuery } from '../../catalog/WorkPage';
import { findPatronByCard } from '../desk/api';
import { staffRequestIll } from './api';

class NoPatron extends Error {}

/** The libraries of the associations a library belongs to (other than itself): whom it may ask. */
function useNetwork(library: Organization): Set<string> {
  const groups = useOrganizations(library.memberOf.map((g) => g.id));
  const ids = new Set<string>();
  for (const group of groups.values())
    for (const m of group.members) if (m.kind === 'library' && m.id !== library.id) ids.add(m.id);
  return ids;
}

/** Staff ask another library of the network to lend a title to one of their patrons. */
export function StaffIllRequestForm({
  library,
  say,
}: {
  library: Organization;
  say: (ok: boolean, text: string) => void;
}) {
  const { t } = useTranslation('circulation');
  const orgName = useOrgName();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const network = useNetwork(library);
  const [card, setCard] = useState('');
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const [workId, setWorkId] = useState<string | null>(null);
  const [lenderId, setLenderId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const hits = useQuery({
    queryKey: ['ill', 'work-search', searched],
    queryFn: () => api<CatalogSearchResult>('/catalog/search', { query: { q: searched, pageSize: 10 } }),
    enabled: searched.length > 0,
  });
  const work = useQuery({ ...workQuery(workId ?? ''), enabled: Boolean(workId) });
  const lenders = (work.data?.libraryIds ?? []).filter((id) => network.has(id));
  const libraries = useOrganizations(lenders);
  const lender = lenderId && lenders.includes(lenderId) ? lenderId : (lenders[0] ?? null);
  const libraryName = (id: string) => {
    const org = libraries.get(id);
    return org ? orgName(org.names) : '';
  };

  const send = useMutation({
    mutationFn: async () => {
      const patron = await findPatronByCard(library.id, card.trim());
      if (!patron) throw new NoPatron(t('family.ill.noPatron', { card: card.trim() }));
      return staffRequestIll(library.id, {
        patronId: patron.id,
        workId: workId!,
        lenderLibraryId: lender!,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
    },
    onSuccess: async (created) => {
      say(
        true,
        t('family.ill.created', {
          library: libraryName(created.lenderLibraryId),
          title: created.title ?? t('holds.untitled'),
        }),
      );
      setCard('');
      setNote('');
      await client.invalidateQueries({ queryKey: ['ill', library.id] });
    },
    onError: (error) =>
      say(false, error instanceof NoPatron ? error.message : t('holds.refused', { reason: problem(error) })),
  });

  const search = (event: FormEvent) => {
    event.preventDefault();
    setWorkId(null);
    setSearched(query.trim());
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (card.trim() && workId && lender) send.mutate();
  };

  return (
    <section aria-labelledby="ill-new-heading" className="panel">
      <h2 id="ill-new-heading">{t('family.ill.staffTitle')}</h2>
      <Form onSubmit={search} className="inline-form" aria-label={t('family.ill.findWork')}>
        <TextInput label={t('family.ill.findWork')} type="search" value={query} onChange={setQuery} />
        <Button type="submit" className="button" isDisabled={!query.trim()}>
          {t('family.ill.search')}
        </Button>
      </Form>
      {searched && hits.data ? (
        hits.data.items.length === 0 ? (
          <p role="status">{t('family.ill.noHits')}</p>
        ) : (
          <Form onSubmit={submit} className="place-hold-form" aria-label={t('family.ill.staffTitle')}>
            <SelectField
              label={t('family.ill.work')}
              options={hits.data.items.map((h) => ({
                id: h.id,
                label: h.author ? `${h.title} / ${h.author}` : h.title,
              }))}
              value={workId}
              onChange={setWorkId}
            />
            {workId && work.data && lenders.length === 0 ? <p role="status">{t('family.ill.noLender')}</p> : null}
            {lenders.length > 0 ? (
              <SelectField
                label={t('family.ill.lender')}
                options={lenders.map((id) => ({ id, label: libraryName(id) }))}
                value={lender}
                onChange={setLenderId}
              />
            ) : null}
            <TextInput label={t('family.ill.patronCard')} value={card} onChange={setCard} isRequired />
            <TextInput label={t('family.ill.note')} value={note} onChange={setNote} maxLength={1000} />
            <Button
              type="submit"
              className="button button-primary"
              isDisabled={send.isPending || !workId || !lender || !card.trim()}
            >
              {t('family.ill.staffSubmit')}
            </Button>
          </Form>
        )
      ) : null}
    </section>
  );
}
