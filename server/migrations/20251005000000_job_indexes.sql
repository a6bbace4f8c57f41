-- Indexed job queries: the birthday job reads only the customers whose birthday is on
-- or before today (and skips those rewarded this year with the unique index of the
-- year's entries) instead of every customer with a birthday.
CREATE INDEX customers_by_birthday ON customers (shop_id, birthday_month, birthday_day);
