package dev.dbmigration.operator.local;

/**
 * {@code java -jar database-migration-operator-local.jar [FILE] [--jdbc-url=URL]
 * [--project-dir=DIR] [--timeout=SECONDS]}: see {@link LocalMode}. Exit 0 when the migration
 * succeeded, 1 when it did not, 2 on a usage error.
 */
public final class LocalMain {

  private LocalMain() {
  }

  public static void main(String[] args) throws Exception {
    int code;
    try {
      code = new LocalMode(System.out).run(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    }
    System.exit(code);
  }
}
