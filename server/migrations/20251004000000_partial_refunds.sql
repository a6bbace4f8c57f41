-- Partial refunds: the refund row of an order keeps how much of the order has been
-- refunded so far (minor units, cumulative; a later refund of the same order raises it).
-- Refunds recorded before this migration were whole. For a refund of some lines, the
-- refund row's `product_ids` are the products still kept (punch cards read them).
ALTER TABLE orders ADD COLUMN refunded_amount BIGINT;
UPDATE orders SET refunded_amount = total WHERE status = 'refunded';
