package io.upshift.fuzz;

import io.upshift.TestPlans;

/** The valid plan the fuzz tests start from: every feature of the format, on a small fleet. */
final class Corpus {
  private Corpus() {}

  static final String SMALL_PLAN =
      TestPlans.header("small")
              .replace(
                  "capabilities:\n  service: {needs: [app]}\n",
                  "capabilities:\n  service:\n    needs: [app]\n    max-downtime: 5m\n"
                      + "    probes:\n      - {http: \"http://lb:80/\", expect: 200, interval: 1s, timeout: 2s}\n"
                      + "      - {tcp: \"lb:80\", interval: 500ms}\n      - {command: \"true\"}\n"
                      + "components:\n  app: {packages: [app], service: app, database: appdb,"
                      + " sync: \"app-manage db sync\","
                      + " balancer: {haproxy: \"lb:9999\", backend: app, server: \"{{host}}\"}}\n"
                      + "secrets:\n  pw: {env: APP_DB_PASSWORD}\n"
                      + "databases:\n  appdb: {engine: postgresql, user: app, password: \"{{secret.pw}}\","
                      + " host: 127.0.0.1, port: 5432, backup-dir: /srv/backups}\n")
          + "compatibility:\n  - {id: u, uniform: app, scope: cell}\n  - {id: r, when: {app: v2}, needs: {app: \">=v1\"}, scope: host}\n"
          + "stages:\n  - name: A\n    steps:\n      - drain: app\n        waves: {batch: 2, group-by: cell, parallel: 2, pause: 1m, max-failures: 10%}\n"
          + "      - upgrade: app\n        duration: 1m..3m\n        check: {command: \"test -n {{host}}\", output: \"x\"}\n"
          + "      - undrain: app\n      - command: \"echo {{cell}}\"\n        on: cell=c01|c02,role!=x\n        timeout: 5m\n"
          + "  - name: B\n    steps:\n      - approve: go\n      - reboot: true\n        on: host=h-c01-*\n"
          + "  - name: Data\n    steps:\n"
          + "      - snapshot: {name: rows, database: appdb, sql: \"select id from t order by id\"}\n"
          + "      - snapshot: {name: out, command: \"ls /\"}\n        on: role=node\n"
          + "      - snapshot: {name: api, http: \"http://{{address}}:80/\"}\n"
          + "      - db-backup: appdb\n      - db-sync: appdb\n        in-doubt: ask\n"
          + "  - name: Rolling\n    rolling: {batch: 25%}\n    steps:\n"
          + "      - config-management: {pause: \"upgrade\"}\n        on: role=node\n"
          + "      - repo: {disable: old, enable: [new]}\n      - stop: app\n        undo: \"start app\"\n"
          + "      - start: app\n        check: {http: \"http://{{address}}/\", expect: 200}\n"
          + "      - config-management: resume\n        on: role=node\n"
          + "  - name: After\n    steps:\n      - compare: rows\n      - compare: out\n"
          + "rehearsal:\n  seed: 3\n  faults:\n    - {kind: upgrade, probability: 0.1}\n";

  static final String SMALL_INVENTORY =
      TestPlans.fleet(3, 4)
          + "      c04:\n        hosts:\n          - name: db-1\n            roles: [db]\n"
          + "            databases: {appdb: v1}\n            jump: \"ops@bastion:22\"\n";
}
