package io.upshift.serve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Names from the journal and the plan made safe to put in a link's path or query. */
final class Links {
  private Links() {}

  /** A name as one path segment (or query value): percent-encoded, so also safe in HTML. */
  static String path(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
