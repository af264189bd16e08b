import type { Fine, FineSummary } from '@athenaeum/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import fines from '../../../locales/en/fines.json';
import { ApiError } from '../../../lib/api';
import { renderInEnglish } from '../../../test/render-in';
import { DoneStatus, PatronFinesPanel, reversalOf, useFineRefusal, type Done } from './FinesPanel';

const render = await renderInEnglish('fines', fines);
const LIBRARY = '00000000-0000-4000-8000-000000000001';
const PATRON = '00000000-0000-4000-8000-000000000002';

const fine = (id: string, status: Fine['status']): Fine => ({
  id,
  library: { id: LIBRARY, code: 'lib', names: {} },
  patronId: PATRON,
  loanId: null,
  item: { id: `item-${id}`, barcode: `B${id}`, title: 'Dom Casmurro', author: null },
  amount: 300,
  paid: 100,
  waived: status === 'waived' ? 200 : 0,
  balance: status === 'open' ? 200 : 0,
  currency: 'EUR',
  reason: 'overdue',
  status,
  createdAt: '2026-03-12T10:00:00Z',
  waivedBy: null,
  waivedAt: null,
  waiveReason: null,
});

/** The panel as it first shows the patron's fines (already loaded, as the desk has them). */
function panel(summary: FineSummary): string {
  const client = new QueryClient();
  client.setQueryData(['fines', 'patron', LIBRARY, PATRON], summary);
  return render(
    <QueryClientProvider client={client}>
      <PatronFinesPanel libraryId={LIBRARY} patronId={PATRON} />
    </QueryClientProvider>,
  );
}

describe("the desk's fines panel", () => {
  it('lists the open fines under a heading that can take focus, with an empty status region for what is done', () => {
    const html = panel({ fines: [fine('1', 'open'), fine('2', 'waived')], accruing: [] });
    expect(html).toContain(`<h3 id="fines-${PATRON}" tabindex="-1">Fines at this library</h3>`);
    expect(html).toContain('<div role="status" aria-live="polite" class="visually-empty"></div>');
    expect(html.match(/<article/g)).toHaveLength(1);
    expect(html).toContain('Dom Casmurro (Mar 12, 2026): fine €3.00, still owed €2.00');
    // No undo before anything was waived here.
    expect(html).not.toContain('Undo');
  });

  it('keeps its heading and status region when nothing is owed, so a waiver that empties the list is still told', () => {
    const html = panel({ fines: [fine('2', 'waived')], accruing: [] });
    expect(html).toContain('<div role="status" aria-live="polite" class="visually-empty"></div>');
    expect(html).toContain('No fines at this library.');
    expect(html).toContain('Fines at this library</h3>');
  });
});

describe('undoing the last payment or waiver', () => {
  const PAYMENT = '00000000-0000-4000-8000-000000000003';
  const status = (done: Done | null) => render(<DoneStatus done={done} isPending={false} onUndo={() => {}} />);

  it('offers Undo after a payment, named for the fine it was taken on', () => {
    const html = status({
      ok: true,
      text: 'Payment taken. Still owed: €2.00',
      undo: { kind: 'payment', fine: fine('1', 'open'), paymentId: PAYMENT },
    });
    expect(html).toContain('Payment taken. Still owed: €2.00');
    expect(html).toContain('aria-label="Undo the payment: \u2068Dom Casmurro\u2069"');
    expect(html).toContain('>Undo</button>');
  });

  it('offers Undo after a waiver as before, and none once an undo is done or refused for good', () => {
    const waived = status({ ok: true, text: 'Fine waived.', undo: { kind: 'waiver', fine: fine('2', 'waived') } });
    expect(waived).toContain('aria-label="Undo the waiver: \u2068Dom Casmurro\u2069"');
    const undone = status({ ok: true, text: 'Payment undone. Owed again: €3.00' });
    expect(undone).toContain('Payment undone. Owed again: €3.00');
    expect(undone).not.toContain('<button');
    expect(status(null)).not.toContain('<button');
  });

  it("calls the payment's reversal with nothing to send, and a waiver's with when it was made", () => {
    expect(reversalOf(LIBRARY, { kind: 'payment', fine: fine('1', 'open'), paymentId: PAYMENT })).toEqual({
      path: `/organizations/${LIBRARY}/fines/1/payments/${PAYMENT}/reversal`,
    });
    const waived = { ...fine('2', 'waived'), waivedAt: '2026-03-13T09:00:00.000Z' };
    expect(reversalOf(LIBRARY, { kind: 'waiver', fine: waived })).toEqual({
      path: `/organizations/${LIBRARY}/fines/2/waiver/reversal`,
      body: { waivedAt: '2026-03-13T09:00:00.000Z' },
    });
  });
});

describe('refusals of payments, waivers and undos', () => {
  const problem = (code: string, detail: string) =>
    new ApiError(409, { type: '', title: '', status: 409, detail, code, requestId: '', instance: '' }, detail);

  function Refusal({ error }: { error: unknown }) {
    return <>{useFineRefusal()(error)}</>;
  }

  it('says in the interface language that the fine changed since, rather than the server’s English', () => {
    const html = render(<Refusal error={problem('CIRCULATION_FINE_CHANGED', 'This fine is no longer waived.')} />);
    expect(html).toBe('Refused: the fine has changed since (paid, waived or undone meanwhile)');
  });

  it('says so when the payment to undo is not one of the fine’s', () => {
    const html = render(
      <Refusal error={problem('CIRCULATION_FINE_PAYMENT_NOT_FOUND', 'This fine has no such payment.')} />,
    );
    expect(html).toBe('Refused: this fine has no such payment');
  });

  it('falls back to the server’s detail for codes of other modules', () => {
    expect(render(<Refusal error={problem('SOMETHING_ELSE', 'Something else.')} />)).toBe('Refused: Something else.');
  });
});
