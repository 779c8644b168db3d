package dev.dbmigration.operator.controller;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last transition this process announced for each resource. The informer can hand a pass a
 * status older than the one the previous pass just wrote (right after a restart, say); that pass
 * then sees the same transition again, and without this it would post a second Event for it.
 */
final class AnnouncedTransitions {

  private final Map<String, String> last = new ConcurrentHashMap<>();

  /** True unless {@code transition} is the one last announced for the resource {@code uid}. */
  boolean isNew(String uid, String transition) {
    return !transition.equals(last.put(uid, transition));
  }

  void forget(String uid) {
    last.remove(uid);
  }
}
