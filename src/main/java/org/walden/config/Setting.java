package org.walden.config;

import java.util.Locale;
import java.util.Objects;

/**
 * The declaration of one configuration parameter (PostgreSQL's {@code config_generic}): its
 * PostgreSQL name, type, default, bounds and {@link SettingContext}. Declarations are immutable and
 * live in {@link Settings}, the one catalog of every parameter Walden knows; values live in {@link
 * Config} snapshots.
 *
 * <p>{@link #parse} turns text (a file value, {@code -c name=value}, {@code SET}) into the typed
 * value with PostgreSQL's rules and error messages; {@link #show} prints a value as {@code SHOW}
 * does. Both are pure functions of the declaration.
 *
 * @param <T> the Java type of the value: Boolean, Integer (in the base unit), Double, String, or a
 *     Java enum
 */
public abstract sealed class Setting<T>
    permits BoolSetting, IntSetting, RealSetting, StringSetting, EnumSetting {

  private final String name;
  private final SettingContext context;
  private final T defaultValue;
  private final String description;
  private final boolean reported;

  /** Position in {@link Settings#all()}; set once at registration, before any Config exists. */
  private int index = -1;

  Setting(
      String name, SettingContext context, T defaultValue, String description, boolean reported) {
    this.name = Objects.requireNonNull(name);
    this.context = Objects.requireNonNull(context);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.description = Objects.requireNonNull(description);
    this.reported = reported;
  }

  /** The name as PostgreSQL spells it (e.g. {@code DateStyle}); lookups ignore case. */
  public final String name() {
    return name;
  }

  /** The lower-case name, the key for case-insensitive lookup. */
  public final String key() {
    return name.toLowerCase(Locale.ROOT);
  }

  public final SettingContext context() {
    return context;
  }

  public final T defaultValue() {
    return defaultValue;
  }

  /** One line for documentation and {@code pg_settings.short_desc}. */
  public final String description() {
    return description;
  }

  /**
   * True if a change is sent to clients in a {@code ParameterStatus} message (PostgreSQL's {@code
   * GUC_REPORT}).
   */
  public final boolean isReported() {
    return reported;
  }

  /** {@code pg_settings.vartype}: bool, integer, real, string or enum. */
  public abstract String typeName();

  /**
   * Parses {@code text} with PostgreSQL's rules and checks the bounds.
   *
   * @throws ConfigException with SQLSTATE 22023 and PostgreSQL's message if the value is invalid
   */
  public abstract T parse(String text) throws ConfigException;

  /** The value as {@code SHOW} prints it (e.g. {@code 1GB}, {@code 5min}, {@code on}). */
  public abstract String show(T value);

  /** Shows a value whose type is only known at run time; it must be of this setting's type. */
  public final String showUnchecked(Object value) {
    return show(cast(value));
  }

  @SuppressWarnings("unchecked")
  final T cast(Object value) {
    return (T) value;
  }

  final int index() {
    return index;
  }

  final void register(int position) {
    if (index != -1) {
      throw new IllegalStateException("setting " + name + " registered twice");
    }
    index = position;
  }

  @Override
  public String toString() {
    return name;
  }
}
