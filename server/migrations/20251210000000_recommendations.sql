-- Recommendations: the model follows the orders stored since it was built, and the
-- `new-arrivals` list needs when the shop first listed each product.

-- Orders in the order the server stored them, for the model to follow.
CREATE INDEX order_details_by_stored ON order_details (shop_id, created_at);

-- When the product was first synced (Unix seconds); later syncs keep it.
ALTER TABLE products ADD COLUMN listed_at BIGINT;
UPDATE products SET listed_at = synced_at;
-- Each process's copy of the catalogue follows the products synced since it looked.
CREATE INDEX products_by_synced ON products (shop_id, synced_at);
