package io.upshift.inventory;

import io.upshift.source.Position;
import java.util.List;
import java.util.Map;

/**
 * One machine of the fleet: where it sits (site, cell), what it is (roles, labels), how to manage
 * it (OS, service manager, package manager, address), and which components and databases it runs at
 * which version when the inventory was written.
 *
 * @param index position in the inventory, a dense id used by the engine's arrays
 * @param components component name to version, in inventory order
 * @param databases database name to schema version, for hosts that hold databases
 * @param states component name to its state when not serving at the start: drained or stopped
 * @param jump the jump hosts to reach it through ({@code [USER@]HOST[:PORT]}, comma-separated), or
 *     null (or empty) to connect directly
 */
public record Host(
    int index,
    String name,
    String site,
    String cell,
    List<String> roles,
    String os,
    String serviceManager,
    String packageManager,
    Map<String, String> labels,
    Map<String, String> components,
    Map<String, String> databases,
    Map<String, String> states,
    String address,
    int port,
    String user,
    String jump,
    Position at) {

  /**
   * The first value a key takes on this host, or "" when none: {@link #values} without making a
   * list, for code that asks it of every host.
   */
  public String value(String key) {
    return switch (key) {
      case "host" -> name;
      case "site" -> site;
      case "cell" -> cell;
      case "os" -> os;
      case "service-manager" -> serviceManager;
      case "package-manager" -> packageManager;
      default -> {
        List<String> values = values(key);
        yield values.isEmpty() || values.get(0) == null ? "" : values.get(0);
      }
    };
  }

  /** The values of a selector key on this host: the built-in keys, then the labels. */
  public List<String> values(String key) {
    return switch (key) {
      case "host" -> List.of(name);
      case "site" -> List.of(site);
      case "cell" -> List.of(cell);
      case "role" -> roles;
      case "component" -> List.copyOf(components.keySet());
      case "database" -> List.copyOf(databases.keySet());
      case "os" -> List.of(os);
      case "service-manager" -> List.of(serviceManager);
      case "package-manager" -> List.of(packageManager);
      default -> {
        String v = labels.get(key);
        yield v == null ? List.of() : List.of(v);
      }
    };
  }
}
