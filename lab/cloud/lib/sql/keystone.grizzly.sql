-- Keystone's database as Grizzly's migrations leave it (the tables the cloud box's Keystone uses).
CREATE TABLE migrate_version (
  repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT);
CREATE TABLE token (
  id VARCHAR(64) NOT NULL PRIMARY KEY, expires DATETIME, extra TEXT, valid TINYINT NOT NULL DEFAULT 1,
  user_id VARCHAR(64), KEY ix_token_expires (expires)) ENGINE=InnoDB DEFAULT CHARSET=utf8;
