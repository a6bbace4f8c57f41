-- Contact preferences: the channel the shopper wants to be contacted by ('email', 'sms'
-- or 'none'), their marketing consent (0 or 1), and when either last changed (Unix
-- seconds). All NULL until the shopper chooses; each is set independently.
ALTER TABLE customers ADD COLUMN contact_channel TEXT;
ALTER TABLE customers ADD COLUMN marketing_consent BIGINT;
ALTER TABLE customers ADD COLUMN preferences_updated_at BIGINT;
