-- Cinder's database as Grizzly's migrations leave it (the tables the cloud box's Cinder uses).
CREATE TABLE migrate_version (
  repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT);
CREATE TABLE volumes (
  id VARCHAR(36) NOT NULL PRIMARY KEY, status VARCHAR(255), display_name VARCHAR(255), size INT,
  volume_type_id VARCHAR(36), instance_uuid VARCHAR(36), deleted TINYINT NOT NULL DEFAULT 0,
  created_at DATETIME) ENGINE=InnoDB DEFAULT CHARSET=utf8;
