-- Catalog: copies in transit found by barcode across libraries.
-- A desk that scans a barcode its own library does not have looks for a copy on its way to one of
-- its branches, of any library (a barcode is unique only within a library). Without an index on
-- the barcode alone that look read every copy of the network; copies in transit are few, so a
-- partial index makes it a probe and costs an import nothing (its copies arrive available).
create index catalog_items_in_transit_barcode on catalog_items (barcode) where status = 'in_transit';
