-- Glance's database as Grizzly's migrations leave it (the tables the cloud box's Glance uses).
CREATE TABLE migrate_version (
  repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT);
CREATE TABLE images (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), owner VARCHAR(255),
  is_public TINYINT NOT NULL DEFAULT 0, size BIGINT, status VARCHAR(30) NOT NULL DEFAULT 'active',
  deleted TINYINT NOT NULL DEFAULT 0, created_at DATETIME) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE image_locations (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, image_id VARCHAR(36) NOT NULL, value TEXT,
  deleted TINYINT NOT NULL DEFAULT 0) ENGINE=InnoDB DEFAULT CHARSET=utf8;
