-- Reading history is private by default: like an ended loan, a hold that is over and an
-- inter-library loan whose patron's part is over lose their patron (and the person who placed
-- them) unless the patron keeps a reading history; the work and copy stay for statistics. Open
-- holds, their pickup bookings and requests still under way always keep their patron.
alter table circulation_holds alter column patron_id drop not null;
alter table circulation_holds add constraint circulation_holds_open_has_patron
  check ((status in ('waiting', 'pull', 'in_transit', 'ready')) <= (patron_id is not null));
alter table circulation_pickup_bookings alter column patron_id drop not null;
alter table circulation_ill_requests alter column patron_id drop not null;
alter table circulation_ill_requests add constraint circulation_ill_requests_active_has_patron
  check ((status in ('requested', 'approved', 'shipped', 'received', 'on_loan')) <= (patron_id is not null));

-- What was kept so far for patrons who do not keep a history is forgotten now. A hold whose copy
-- still waits on the hold shelf for staff to clear it keeps its patron until it is cleared.
update circulation_holds h
   set patron_id = null, placed_by = null
 where h.status in ('fulfilled', 'cancelled', 'expired')
   and (h.status = 'fulfilled' or h.ready_at is null or h.cleared_at is not null)
   and not exists (select 1 from circulation_patrons p where p.id = h.patron_id and p.keep_history);
update circulation_pickup_bookings b
   set patron_id = null
  from circulation_holds h
 where h.id = b.hold_id and h.patron_id is null and b.patron_id is not null;
update circulation_ill_events e
   set actor_id = null
  from circulation_ill_requests r
 where r.id = e.request_id and e.party = 'patron'
   and r.status in ('returned', 'shipped_back', 'completed', 'declined', 'cancelled')
   and not exists (select 1 from circulation_patrons p where p.id = r.patron_id and p.keep_history);
update circulation_ill_requests r
   set patron_id = null, requested_by = null
 where r.status in ('returned', 'shipped_back', 'completed', 'declined', 'cancelled')
   and not exists (select 1 from circulation_patrons p where p.id = r.patron_id and p.keep_history);
