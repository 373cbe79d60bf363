package org.walden.config;

/** Values of {@code recovery_target_action}: what recovery does once the target is reached. */
public enum RecoveryTargetAction {
  PAUSE,
  PROMOTE,
  SHUTDOWN;
}
