package io.upshift.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lab comes up whole: every instance answers v1 through HAProxy and on its own address, every
 * host takes ssh with the lab's key and known_hosts, the database needs the lab role's password,
 * and a short load through HAProxy loses nothing. Then it goes down without a trace.
 */
class LabSelfTest {

  /**
   * About 15 s on a quiet machine; the bound only stops a hung lab, and is wide because lab/up
   * alone has taken three minutes with other builds saturating the cores.
   */
  @Test
  @Timeout(600)
  void comesUpAtV1AndGoesDown() throws Exception {
    Path dir;
    try (Lab lab = Lab.up()) {
      dir = lab.dir();
      assertTrue(Files.isRegularFile(lab.repo().resolve("lab-service-v1.jar")));
      assertTrue(Files.isRegularFile(lab.repo().resolve("lab-service-v2.jar")));
      assertTrue(Files.readString(lab.repo().resolve("v2-schema.sql")).contains("IF NOT EXISTS"));

      // Round robin over four instances: eight requests reach each one twice.
      Map<String, String> seen = new TreeMap<>();
      for (int i = 0; i < 8; i++) {
        Lab.Answer a = Lab.get(lab.frontUrl() + "/health");
        assertEquals(200, a.status(), a.body());
        assertTrue(a.body().contains("\"items\":500"), a.body());
        seen.put(a.host(), a.version());
      }
      assertEquals(Map.of("web-1", "v1", "web-2", "v1", "web-3", "v1", "web-4", "v1"), seen);

      for (String host : Lab.WEB_HOSTS) {
        assertEquals("v1", lab.version(host));
        assertEquals("v1", lab.runningVersion(host));
        String status = lab.ssh(host, "labctl status " + host + " && labctl version " + host);
        assertTrue(status.contains(host + ": running v1"), status);
        assertTrue(status.strip().endsWith("v1"), status);
      }
      // The database host, and the lab role's password over TCP.
      String count =
          lab.ssh(
              "db-1",
              "PGPASSWORD="
                  + Lab.DB_PASSWORD
                  + " psql -X -At -h "
                  + Lab.address("db-1")
                  + " -U lab -d lab -c 'SELECT count(*) FROM items'");
      assertEquals("500", count.strip());
      String denied =
          lab.ssh(
              "db-1",
              "PGPASSWORD=wrong psql -X -At -h "
                  + Lab.address("db-1")
                  + " -U lab -d lab -c 'SELECT 1' 2>&1 || echo refused");
      assertTrue(denied.contains("password authentication failed"), denied);

      Path until = lab.dir().resolve("load.stop");
      Process load = lab.startLoad(until, 4);
      Thread.sleep(1000);
      Lab.LoadResult r = Lab.stopLoad(load, until);
      assertEquals(0, r.failed(), r.json());
      assertTrue(r.requests() > 100, r.json());
    }
    assertTrue(Files.notExists(dir), dir + " is left after lab/down");
  }
}
