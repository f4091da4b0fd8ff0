package io.turbovbi.jobs.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Settings whose values must not be written anywhere: passwords, tokens, credentials, keys. */
public final class Secrets {
  public static final String REDACTED = "*****(redacted)";
  private static final Pattern SECRET = Pattern.compile("(?i)secret|password|token|credential|\\.key\\b");

  private Secrets() {}

  static boolean isSecret(String key) {
    return SECRET.matcher(key).find();
  }

  /** A sorted copy with the value of every secret key replaced. */
  public static Map<String, String> redacted(Map<String, String> settings) {
    Map<String, String> copy = new TreeMap<>();
    settings.forEach((key, value) -> copy.put(key, isSecret(key) ? REDACTED : value));
    return copy;
  }
}
