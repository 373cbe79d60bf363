package org.walden.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A parameter with a fixed set of values (PostgreSQL's {@code config_enum}). Names match without
 * regard to case; hidden options are accepted aliases that are neither listed in hints nor shown
 * ({@code synchronous_commit = true} means {@code on}). A value shows as the first option naming
 * it.
 *
 * @param <E> the Java enum the values map to
 */
public final class EnumSetting<E extends Enum<E>> extends Setting<E> {

  /** One accepted spelling. */
  public record Option<E>(String name, E value, boolean hidden) {}

  private final List<Option<E>> options;

  EnumSetting(
      String name,
      SettingContext context,
      E defaultValue,
      List<Option<E>> options,
      String description,
      boolean reported) {
    super(name, context, defaultValue, description, reported);
    this.options = List.copyOf(options);
    for (Option<E> o : options) {
      if (o.value().getDeclaringClass() != defaultValue.getDeclaringClass()) {
        throw new IllegalArgumentException("mixed enum types in " + name);
      }
    }
  }

  @Override
  public String typeName() {
    return "enum";
  }

  public List<Option<E>> options() {
    return options;
  }

  /** The visible option names, as {@code pg_settings.enumvals} lists them. */
  public List<String> visibleNames() {
    return options.stream().filter(o -> !o.hidden()).map(Option::name).toList();
  }

  @Override
  public E parse(String text) throws ConfigException {
    for (Option<E> o : options) {
      if (o.name().equalsIgnoreCase(text)) {
        return o.value();
      }
    }
    throw ConfigException.invalidValue(
        name(),
        text,
        options.stream()
            .filter(o -> !o.hidden())
            .map(Option::name)
            .collect(Collectors.joining(", ", "Available values: ", ".")));
  }

  @Override
  public String show(E value) {
    for (Option<E> o : options) {
      if (o.value() == value) {
        return o.name();
      }
    }
    throw new IllegalStateException(name() + " has no option for " + value);
  }
}
