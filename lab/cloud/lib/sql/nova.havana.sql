-- Havana's Nova migrations: instance groups, and instances marked once their leftovers are cleaned.
CREATE TABLE instance_groups (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, uuid VARCHAR(36) NOT NULL, name VARCHAR(255),
  project_id VARCHAR(255), deleted INT NOT NULL DEFAULT 0) ENGINE=InnoDB DEFAULT CHARSET=utf8;
ALTER TABLE instances ADD COLUMN cleaned INT NULL DEFAULT 0;
