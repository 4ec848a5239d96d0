-- Havana's Glance migrations: a location carries its own metadata.
ALTER TABLE image_locations ADD COLUMN meta_data TEXT NULL;
