-- Cancel and replace of parent orders. A replace waits until the order's children are out of the
-- market, so its new terms are kept with the order meanwhile; a child whose cancel was sent to
-- its venue is marked, so the cancel is sent once.
ALTER TABLE orders ADD COLUMN replace_quantity bigint CHECK (replace_quantity > 0);
ALTER TABLE orders ADD COLUMN replace_limit_price numeric(30, 8);
ALTER TABLE child_orders ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
