package dev.dbmigration.operator.api.v1alpha1;

/**
 * The grammar of the spec's strings, written once for the CRD's {@code pattern}s and CEL rules and
 * for the tests that hold the API server to them. The API server reads them as Go RE2, the tests
 * as {@code java.util.regex}: each uses only what both read alike, and the ones a CEL rule quotes
 * hold no backslash or quote ({@code [.]} for a literal dot), so they need no escaping there.
 */
public final class Syntax {

  // One element of a relative path: a name that is not "..", of no '/' and no control character.
  private static final String PATH_CHAR = "[^/\\x00-\\x1f\\x7f]";
  private static final String PATH_ELEMENT = "([^/.\\x00-\\x1f\\x7f]" + PATH_CHAR + "*|[.]|[.][^/.\\x00-\\x1f\\x7f]"
      + PATH_CHAR + "*|[.][.]" + PATH_CHAR + "+)";

  /** A DNS-1123 subdomain (at most 253 characters): most object names, a label key's prefix. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** A DNS-1123 label (at most 63 characters): a container name. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  /**
   * A label key: an optional DNS subdomain and '/', then a name of at most 63 characters. The
   * prefix's own limit of 253 characters is a separate rule (RE2 cannot count a group's length).
   */
  public static final String LABEL_KEY = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
      + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
  /** A label value, which may be empty. */
  public static final String LABEL_VALUE = "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";
  /** A label value that is not empty (a leader's role). */
  public static final String ROLE_VALUE = "^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
  /**
   * A Secret key: letters, digits, '-', '_' and '.', but not "." and not starting with "..", which
   * Kubernetes refuses in a Job's secretKeyRef (they would name a directory of a volume).
   */
  public static final String SECRET_KEY = "^[.]?[-_a-zA-Z0-9][-._a-zA-Z0-9]*$";
  /** An environment variable name a shell can read. */
  public static final String ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";
  /** A container image reference: [registry[:port]/]path[:tag][@sha256:digest]. */
  public static final String IMAGE =
      "^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";
  /**
   * Alembic's revision grammar: head(s), base, a revision id, +N, -N, or rev+N / rev-N; dots are
   * allowed in a revision id for Flyway's versions (1.2.3).
   */
  public static final String TARGET =
      "^(heads?|base|[+-][1-9][0-9]{0,3}|[A-Za-z0-9_.]{1,64}([+-][1-9][0-9]{0,3})?)$";
  /** A Flyway version (1, 1.2, 2_1). */
  public static final String FLYWAY_VERSION = "^[0-9][0-9._]*$";
  /** A host name or an IP address (v4, or v6 without brackets). */
  public static final String HOST = "^[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$";
  /**
   * An absolute path free of control characters (C0, DEL, C1), invisible format characters
   * (\p{Cf}: bidi overrides and the like, which make a path read other than it is), line and
   * paragraph separators, and shell syntax: the Job passes the directory as it is, but images
   * commonly wrap the tool in an entrypoint script that does cd "$DIR", and a directory name
   * holding any of these is a typo at best.
   */
  public static final String WORKING_DIR =
      "^/[^\\x00-\\x1f\\x7f-\\x9f\\p{Cf}\\x{2028}\\x{2029}$`;|&<>()\\\\'\"]*$";
  /**
   * A Liquibase tag as a target (update-to-tag, rollback to a tag): what a revision id may hold.
   * head, heads and base keep their meaning and are no tag.
   */
  public static final String LIQUIBASE_TAG = "^[A-Za-z0-9_.]{1,64}$";
  /** +N or -N alone, as Liquibase's update-count and rollback-count take them. */
  public static final String UP_COUNT = "^[+][1-9][0-9]{0,3}$";
  public static final String DOWN_COUNT = "^-[1-9][0-9]{0,3}$";
  /**
   * A PostgreSQL table or column name as written unquoted and folded to lower case, optionally
   * schema-qualified for a table: the operator quotes it, so the name means the same to it as to
   * the tool, and nothing else can ride along into the query.
   */
  public static final String SQL_NAME = "^[a-z_][a-z0-9_]{0,62}$";
  public static final String SQL_TABLE = "^([a-z_][a-z0-9_]{0,62}[.])?[a-z_][a-z0-9_]{0,62}$";
  /** An argument of spec.command: anything but NUL, which no exec'd argument can hold. */
  public static final String ARGUMENT = "^[^\\x00]*$";
  /**
   * A path inside a volume: relative, no ".." element, no control characters, as the kubelet
   * requires of a ConfigMap item, a downward API file or a subPath. Each element is anything but
   * "..", spelled out as alternatives: RE2 has no lookahead, and a CEL rule per path would cost
   * more than the API server's budget allows at this depth of lists.
   */
  public static final String RELATIVE_PATH = "^" + PATH_ELEMENT + "(/" + PATH_ELEMENT + ")*$";
  /** A Kubernetes quantity that is not negative: 64Mi, 1G, 500m, 1.5, 1e3. */
  public static final String QUANTITY =
      "^([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$";
  /** Where a volume is mounted: absolute, no ':' (the runtime's separator), no controls. */
  public static final String MOUNT_PATH = "^/[^:\\x00-\\x1f\\x7f]*[^/:\\x00-\\x1f\\x7f]$";
  /** The pod fields the downward API offers as files. */
  public static final String DOWNWARD_FIELD = "^(metadata[.](name|namespace|uid|labels|annotations)"
      + "|metadata[.](labels|annotations)\\['[A-Za-z0-9./_-]{1,317}'\\])$";
  /** A rerun token: a timestamp, a build number or a commit, nothing a terminal would act on. */
  public static final String RERUN = "^[A-Za-z0-9]([-A-Za-z0-9_.:+]*[A-Za-z0-9])?$";

  private Syntax() {
  }
}
