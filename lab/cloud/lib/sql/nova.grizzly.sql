-- Nova's database as Grizzly's migrations leave it (the tables the cloud box's Nova uses).
CREATE TABLE migrate_version (
  repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT);
CREATE TABLE quotas (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, project_id VARCHAR(255), resource VARCHAR(255) NOT NULL,
  hard_limit INT) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instances (
  uuid VARCHAR(36) NOT NULL PRIMARY KEY, project_id VARCHAR(255), host VARCHAR(255),
  vm_state VARCHAR(255), deleted INT NOT NULL DEFAULT 0, created_at DATETIME,
  KEY instances_project_id_deleted_idx (project_id, deleted)) ENGINE=InnoDB DEFAULT CHARSET=utf8;
