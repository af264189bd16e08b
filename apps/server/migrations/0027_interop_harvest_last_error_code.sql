-- Interop: a harvest source's last error keeps its code beside its text (e.g.
-- INTEROP_REMOTE_TIMEOUT, INTEROP_HARVEST_FAILED), so the staff page can say what went wrong in
-- the interface language and show the server's English text only as a detail. Null when the
-- last run succeeded, and for errors recorded before this column existed.
alter table interop_harvest_sources
  add column last_error_code text;
