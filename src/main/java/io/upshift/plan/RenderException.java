package io.upshift.plan;

/**
 * A placeholder that cannot be filled into a command safely: its value holds a character no command
 * can carry, it stands where no quoting is safe, or its value would end the here-document it stands
 * in. The message names the value's source (the host and label, the secret, ...) and never the
 * value. The action fails with it; nothing is run.
 */
public final class RenderException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public RenderException(String message) {
    super(message);
  }
}
