package io.turbovbi.spark.ml;

/**
 * The uid of a Spark ML stage under construction. Spark's params ask for {@code uid()} inside the superclass
 * constructor, before a Java subclass can set a field; a stage's constructor passes {@link #announce}'s result to a
 * private constructor, so the uid is known from the first call on.
 */
record ConstructionUid(String uid) {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  static ConstructionUid announce(String uid) {
    PENDING.set(uid);
    return new ConstructionUid(uid);
  }

  /** The uid announced on this thread, while a stage's superclass constructor runs. */
  static String pending() {
    return PENDING.get();
  }

  /** Ends the construction: the stage holds its uid from now on. */
  String done() {
    PENDING.remove();
    return uid;
  }
}
