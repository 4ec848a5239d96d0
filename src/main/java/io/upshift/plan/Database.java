package io.upshift.plan;

import io.upshift.source.Position;
import java.util.List;

/**
 * How to reach a database from the hosts that hold it, for the built-in {@code db-backup} and for
 * SQL snapshots: its engine and connection settings, and where dumps are kept.
 *
 * @param name the database's name in the plan (as components and the inventory name it)
 * @param engine {@code postgresql} or {@code mysql}
 * @param database the database's name on its server (default: {@code name})
 * @param user the user to connect as, or null for the client's default
 * @param password the password, usually a {@code {{secret.NAME}}} placeholder, or null
 * @param host the server's address as seen from the host holding it, or null for the client's
 *     default (a local socket)
 * @param port the server's port, or 0 for the engine's default
 * @param backupDir the folder on the host where {@code db-backup} keeps its dumps
 */
public record Database(
    String name,
    String engine,
    String database,
    String user,
    String password,
    String host,
    int port,
    String backupDir,
    Position at) {

  public static final List<String> ENGINES = List.of("postgresql", "mysql");

  public static final String DEFAULT_BACKUP_DIR = "/var/backups/upshift";
}
