-- Havana's Cinder migrations: volumes can migrate between back ends.
ALTER TABLE volumes ADD COLUMN migration_status VARCHAR(255) NULL;
