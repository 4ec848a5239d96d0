package io.upshift.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * How commands declare their command line to picocli: in code, through picocli's model, not with
 * its annotations. Picocli reads annotations by reflection at every start, and the JDK makes a
 * proxy class for each kind of annotation it hands out; for a quick command such as {@code verify}
 * that was a third of its time (docs/internals.md, "Start-up").
 *
 * <p>Each option or parameter passes what it is given to a {@link Consumer}, typically a lambda
 * that sets a field of the command. A value that is not given and has no default is never passed:
 * the field keeps its initial value.
 */
final class Args {
  private Args() {}

  /**
   * Makes the objects picocli needs: the list a repeated option collects into, and others by their
   * no-argument constructors. (Picocli's default factory looks for Groovy when it is first made.)
   */
  static final CommandLine.IFactory FACTORY =
      new CommandLine.IFactory() {
        @Override
        public <K> K create(Class<K> type) throws Exception {
          if (type.isAssignableFrom(ArrayList.class)) {
            return type.cast(new ArrayList<>());
          }
          var constructor = type.getDeclaredConstructor();
          constructor.setAccessible(true);
          return constructor.newInstance();
        }
      };

  /**
   * A command with {@code -h/--help} and {@code -V/--version}, running {@code call}; with no call,
   * a command that only holds subcommands.
   */
  static CommandSpec command(String name, String description, Callable<Integer> call) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(call, FACTORY).name(name);
    spec.usageMessage().description(description);
    spec.versionProvider(new Main.Version());
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("Show this help message and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder("-V", "--version")
            .versionHelp(true)
            .description("Print version information and exit.")
            .build());
    return spec;
  }

  /** An option that takes no value: true when given. */
  static OptionSpec flag(String name, String description, Consumer<Boolean> to) {
    Binding<Boolean> binding = binding(to);
    return OptionSpec.builder(name)
        .type(boolean.class)
        .description(description)
        .getter(binding)
        .setter(binding)
        .build();
  }

  /**
   * An option with one value of {@code type}, converted by picocli; the caller adds a default value
   * or other settings and builds it.
   */
  static <T> OptionSpec.Builder option(
      String[] names, String label, Class<T> type, String description, Consumer<T> to) {
    Binding<T> binding = binding(to);
    return OptionSpec.builder(names)
        .paramLabel(label)
        .type(type)
        .description(description)
        .getter(binding)
        .setter(binding);
  }

  /** {@link #option(String[], String, Class, String, Consumer)} with one name. */
  static <T> OptionSpec.Builder option(
      String name, String label, Class<T> type, String description, Consumer<T> to) {
    return option(new String[] {name}, label, type, description, to);
  }

  /** An option that may be given more than once; {@code to} gets every value given, in order. */
  static <T> OptionSpec repeatable(
      String name, String label, Class<T> type, String description, Consumer<List<T>> to) {
    Binding<List<T>> binding = binding(to);
    return OptionSpec.builder(name)
        .paramLabel(label)
        .type(List.class)
        .auxiliaryTypes(type)
        .description(description)
        .getter(binding)
        .setter(binding)
        .build();
  }

  /** A required positional parameter. */
  static <T> PositionalParamSpec parameter(
      String label, Class<T> type, String description, Consumer<T> to) {
    return positional(label, type, description, to).arity("1").required(true).build();
  }

  /** A positional parameter whose index, arity or type the caller sets before building it. */
  static <T> PositionalParamSpec.Builder positional(
      String label, Class<T> type, String description, Consumer<T> to) {
    Binding<T> binding = binding(to);
    return PositionalParamSpec.builder()
        .paramLabel(label)
        .type(type)
        .description(description)
        .getter(binding)
        .setter(binding);
  }

  private static <T> Binding<T> binding(Consumer<T> to) {
    return new Binding<>(to);
  }

  /**
   * The value picocli holds for an option, passed on to the command as it is set. Picocli reads it
   * back to add to a repeated option's list; nulls (no value, no default) stay here.
   */
  private static final class Binding<T>
      implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
    private final Consumer<T> to;
    private Object value;

    Binding(Consumer<T> to) {
      this.to = to;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V get() {
      return (V) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V set(V value) {
      V old = (V) this.value;
      this.value = value;
      if (value != null) {
        to.accept((T) value);
      }
      return old;
    }
  }
}
