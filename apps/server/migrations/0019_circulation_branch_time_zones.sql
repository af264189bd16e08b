-- Branch calendars keep their IANA time zone: opening hours and closed dates are local to the
-- branch, due dates and the end of the pickup window are reckoned in its days. Existing calendars
-- were reckoned in UTC and keep doing so until their staff set the zone.
alter table circulation_calendars add column time_zone text not null default 'UTC'
  check (length(time_zone) between 1 and 64);
