-- Circulation: a payment taken against a fine can be reversed (staff who recorded it against the
-- wrong fine, or for the wrong amount).
-- The reversal is a row of its own in the payments ledger: the payment it undoes stays as it was
-- (never edited nor deleted), and the fine's `paid` is the sum of its rows, reversals included.
-- A reversal names the payment (reverses_payment_id) and repeats its amount (reversed_amount): the
-- foreign key on (payment, fine, amount) makes the reversal belong to the payment's fine and take
-- off exactly what the payment was, the check makes its own amount minus that, and the unique
-- constraint lets a payment be reversed once at most. A reversal cannot itself be reversed (its
-- amount is negative, and what a reversal names is positive). received_by and received_at of a
-- reversal are who recorded it and when.
alter table circulation_fine_payments
  drop constraint circulation_fine_payments_amount_check,
  add column reverses_payment_id uuid,
  add column reversed_amount integer,
  add constraint circulation_fine_payments_id_fine_amount unique (id, fine_id, amount),
  add constraint circulation_fine_payments_reversed_once unique (reverses_payment_id),
  add constraint circulation_fine_payments_reverses_payment
    foreign key (reverses_payment_id, fine_id, reversed_amount)
    references circulation_fine_payments (id, fine_id, amount),
  add constraint circulation_fine_payments_amount_sign check (
    case
      when reverses_payment_id is null then amount > 0 and reversed_amount is null
      else reversed_amount is not null and reversed_amount > 0 and amount = -reversed_amount
    end
  );
