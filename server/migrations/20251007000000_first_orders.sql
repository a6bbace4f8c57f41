-- Indexed anniversary job: each customer's first kept purchase (the earliest paid order
-- not wholly refunded, by the day it was placed; Unix seconds, NULL without one), kept
-- by the order pipeline, so the job reads only the customers whose anniversary has come
-- this year; and orders by customer for the pipeline's per-customer reads.
ALTER TABLE customers ADD COLUMN first_order_at BIGINT;
UPDATE customers SET first_order_at = (
    SELECT MIN(COALESCE(p.placed_at, p.created_at)) FROM orders p
    WHERE p.shop_id = customers.shop_id AND p.customer_id = customers.customer_id
      AND p.status = 'paid'
      AND NOT EXISTS (SELECT 1 FROM orders r
          WHERE r.shop_id = p.shop_id AND r.order_id = p.order_id AND r.status = 'refunded'
            AND COALESCE(r.refunded_amount, p.total) >= p.total)
);
CREATE INDEX customers_by_first_order ON customers (shop_id, first_order_at);
CREATE INDEX orders_by_customer ON orders (shop_id, customer_id, status);
