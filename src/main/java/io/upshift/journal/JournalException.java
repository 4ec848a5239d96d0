package io.upshift.journal;

/**
 * The journal cannot be read or written: a message for the operator (what and where), never a stack
 * trace. A run stops when its journal fails, as it can no longer promise to resume.
 */
public final class JournalException extends RuntimeException {
  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
