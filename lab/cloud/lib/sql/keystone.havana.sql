-- Havana's Keystone migrations: tokens record their trust, and are looked up by validity.
ALTER TABLE token ADD COLUMN trust_id VARCHAR(64) NULL, ADD KEY ix_token_valid (valid);
