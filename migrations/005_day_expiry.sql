-- A DAY order still working at the session close is taken out of the market like a cancel, but
-- ends EXPIRED: the flag says which end its PENDING_CANCEL leads to.
ALTER TABLE orders ADD COLUMN expiring boolean NOT NULL DEFAULT false;
