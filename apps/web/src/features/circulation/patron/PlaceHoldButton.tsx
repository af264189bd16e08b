import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { StatusMessage } from '../../../components/states';
import { useProblemMessage } from '../../../lib/problems';
import { useMe } from '../../../lib/session';
import { usePersonName } from '../person-name';
import { useSwapFocus } from '../useSwapFocus';
import { placeHoldWith, useHoldCards, type HoldCard } from '../guardians/holdCards';

/** "Place hold" on a work page: the card to use and the pickup branch, then one request. */
export function PlaceHoldButton({ workId }: { workId: string }) {
  const me = useMe();
  if (!me) return <SignInToHold />;
  return <PlaceHoldForm workId={workId} />;
}

function SignInToHold() {
  const { t } = useTranslation('circulation');
  return (
    <p>
      <Link to="/sign-in" search={{ redirect: window.location.pathname }}>
        {t('holds.signInToHold')}
      </Link>
    </p>
  );
}

function PlaceHoldForm({ workId }: { workId: string }) {
  const { t } = useTranslation('circulation');
  const { t: common } = useTranslation();
  const orgName = useOrgName();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const options = useHoldCards();
  const [open, setOpen] = useState(false);
  const { opener, panel } = useSwapFocus(open);
  const personName = usePersonName();
  const [patronId, setPatronId] = useState<string | null>(null);
  const [branchId, setBranchId] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const place = useMutation({
    mutationFn: ({ card, ...body }: { card: HoldCard; workId: string; pickupBranchId: string }) =>
      placeHoldWith(card, body),
    onSuccess: async () => {
      setMessage({ ok: true, text: t('holds.placed') });
      setOpen(false);
      await client.invalidateQueries({ queryKey: ['holds'] });
      await client.invalidateQueries({ queryKey: ['children'] });
    },
    onError: (error) => setMessage({ ok: false, text: t('holds.refused', { reason: problem(error) }) }),
  });

  const cards = options.data;
  const card = cards.find((c) => c.patronId === patronId) ?? cards[0];
  const branches = card?.pickupBranches ?? [];
  const branch = branchId && branches.some((b) => b.id === branchId) ? branchId : (branches[0]?.id ?? null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (card && branch) place.mutate({ workId, card, pickupBranchId: branch });
  };

  return (
    <div className="place-hold">
      {!open ? (
        <Button
          ref={opener}
          className="button button-primary"
          onPress={() => {
            setMessage(null);
            setOpen(true);
          }}
          isDisabled={options.isPending}
        >
          {t('holds.placeHold')}
        </Button>
      ) : cards.length === 0 ? (
        <div ref={panel} tabIndex={-1}>
          <p>{t('holds.noCard')}</p>
          <Button className="button" onPress={() => setOpen(false)}>
            {common('action.cancel')}
          </Button>
        </div>
      ) : (
        <div ref={panel}>
          <Form onSubmit={submit} aria-label={t('holds.placeHoldTitle')} className="place-hold-form">
            {cards.length > 1 ? (
              <SelectField
                label={t('holds.card')}
                options={cards.map((c) => ({
                  id: c.patronId,
                  label: [c.child && personName(c.child), orgName(c.library.names), c.cardNumber]
                    .filter(Boolean)
                    .join(' · '),
                }))}
                value={card?.patronId ?? null}
                onChange={setPatronId}
              />
            ) : null}
            <SelectField
              label={t('holds.pickupBranch')}
              options={branches.map((b) => ({ id: b.id, label: orgName(b.names) }))}
              value={branch}
              onChange={setBranchId}
            />
            <Button type="submit" className="button button-primary" isDisabled={place.isPending}>
              {t('holds.placeHold')}
            </Button>
            <Button className="button" onPress={() => setOpen(false)} isDisabled={place.isPending}>
              {common('action.cancel')}
            </Button>
          </Form>
        </div>
      )}
      {message && !message.ok ? (
        <div role="alert" className="alert alert-error">
          {message.text}
        </div>
      ) : null}
      <StatusMessage>
        {message?.ok ? (
          <>
            {message.text} <Link to="/me/holds">{t('holds.nav')}</Link>
          </>
        ) : null}
      </StatusMessage>
    </div>
  );
}
