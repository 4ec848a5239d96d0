package io.upshift.serve;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a steering request may go on, before anything reads its body: the dashboard keeps
 * no login state and sets no cookie, so a request counts only when it carries the token in a
 * header, which a page of another site cannot make a browser send. On top of that it must come to
 * the address the dashboard serves (no rebinding of another name onto it), from a page of the
 * dashboard itself when a browser says where from, and carry a request id never seen before (a
 * captured request replayed is refused).
 */
final class Guard {
  /** The header that carries the token. */
  static final String TOKEN_HEADER = "X-Upshift-Token";

  /** The header that carries a fresh id per request. */
  static final String REQUEST_HEADER = "X-Upshift-Request";

  /** How many request ids are remembered. */
  static final int REMEMBERED = 100_000;

  /** A refusal: the HTTP status and what to tell the client. */
  record Refusal(int status, String message) {}

  private final Token token;
  private final Set<String> hosts;
  private final boolean anyHost;
  private final Map<String, Boolean> seen =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  /**
   * @param hosts the Host header values the dashboard answers to ({@code 127.0.0.1:8080} ...)
   * @param anyHost whether it serves every address of the machine (bound to 0.0.0.0 or ::)
   */
  Guard(Token token, Set<String> hosts, boolean anyHost) {
    this.token = token;
    this.hosts = Set.copyOf(hosts);
    this.anyHost = anyHost;
  }

  /** Whether the token is right: what the page asks to show itself read-only or not. */
  boolean tokenValid(String given) {
    return token.matches(given);
  }

  /**
   * Null when the request may go on, else why not.
   *
   * @param host the Host header
   * @param origin the Origin header, or null
   * @param fetchSite the Sec-Fetch-Site header, or null
   * @param bearer the token the request carries (its header), or null
   * @param requestId its request id header, or null
   * @param consume whether this request uses up its id (a steering act; a token check does not)
   */
  synchronized Refusal check(
      String host,
      String origin,
      String fetchSite,
      String bearer,
      String requestId,
      boolean consume) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    if (!anyHost && !hosts.contains(h)) {
      return new Refusal(
          403, "this dashboard answers to " + String.join(" or ", hosts) + ", not to `" + h + "`");
    }
    if (origin != null && !origin.equalsIgnoreCase("http://" + h)) {
      return new Refusal(
          403, "requests from another site's page are refused (Origin " + origin + ")");
    }
    if (origin == null
        && fetchSite != null
        && !fetchSite.equals("same-origin")
        && !fetchSite.equals("none")) {
      return new Refusal(403, "requests from another site's page are refused");
    }
    if (bearer == null || bearer.isEmpty()) {
      return new Refusal(
          401,
          "a steering token is needed (header "
              + TOKEN_HEADER
              + "); the page is read-only without it");
    }
    if (!token.matches(bearer)) {
      return new Refusal(401, "the steering token is not right; the page is read-only without it");
    }
    if (!consume) {
      return null;
    }
    if (requestId == null || !requestId.matches("[A-Za-z0-9_-]{8,64}")) {
      return new Refusal(
          400, "each steering request needs a fresh id in the header " + REQUEST_HEADER);
    }
    if (seen.putIfAbsent(requestId, Boolean.TRUE) != null) {
      return new Refusal(409, "this request was already received (request id " + requestId + ")");
    }
    return null;
  }
}
