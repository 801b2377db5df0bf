-- Smart order routing: the strategy a client chose, the market each child was routed against
-- (the first attempt's NBBO is the order's arrival price for execution quality).

ALTER TABLE orders ADD COLUMN routing_strategy text;

ALTER TABLE child_orders ADD COLUMN strategy text;
ALTER TABLE child_orders ADD COLUMN nbbo_bid numeric(30, 8);
ALTER TABLE child_orders ADD COLUMN nbbo_ask numeric(30, 8);

