package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.model.run.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each resource began waiting for its database (unreachable, or a leader in recovery), so
 * that rechecks space out the longer the wait lasts. Nothing a watch sees ends such a wait, hence
 * the timer. Kept in memory only: after a restart the spacing simply starts over.
 */
final class DatabaseWaits {

  private final Backoff backoff;
  private final Map<String, Instant> since = new ConcurrentHashMap<>();

  DatabaseWaits(Backoff backoff) {
    this.backoff = backoff;
  }

  /** The delay of the next check of a resource that waits at {@code now}. */
  Duration next(String uid, Instant now) {
    Instant start = since.computeIfAbsent(uid, u -> now);
    return backoff.afterWaiting(Duration.between(start, now));
  }

  void clear(String uid) {
    since.remove(uid);
  }
}
